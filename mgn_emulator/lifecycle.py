"""Who may launch: launchable states, one job per server, and the account's job quotas."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mgn_emulator.exceptions import ErrorDetail
from mgn_emulator.models import LAUNCHABLE_BY, NOT_TERMINABLE_STATES, InitiatedBy, Job, SourceServer

#: MGN service quotas (per account and region), as MGN documents them: the emulator's defaults.
MAX_CONCURRENT_JOBS = 20
MAX_ACTIVE_SOURCE_SERVERS = 200


@dataclass(frozen=True)
class JobQuotas:
    """The quotas one emulator enforces (seed ``quotas``, ``--max-concurrent-jobs``, ``--max-active-servers``,
    ``EmulatorServer(max_concurrent_jobs=..., max_active_source_servers=...)``): small numbers make tests quick."""

    concurrent_jobs: int = MAX_CONCURRENT_JOBS
    active_source_servers: int = MAX_ACTIVE_SOURCE_SERVERS

    def __post_init__(self) -> None:
        for name in ("concurrent_jobs", "active_source_servers"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"quota {name} must be a whole number of at least 1, not {value!r}")


def quota_errors(active_jobs: Sequence[Job], new_servers: int, quotas: JobQuotas | None = None) -> list[ErrorDetail]:
    """A new job of ``new_servers`` servers breaks a quota: one error per quota, named in the message."""
    limits = quotas or JobQuotas()
    errors = []
    if len(active_jobs) >= limits.concurrent_jobs:
        errors.append(
            ErrorDetail(
                "CONCURRENT_JOBS_QUOTA",
                f"quota 'concurrent jobs' is {limits.concurrent_jobs} and {len(active_jobs)} jobs are active",
                resource_type="JOB",
            )
        )
    busy = sum(len(j.servers) for j in active_jobs)
    if busy + new_servers > limits.active_source_servers:
        errors.append(
            ErrorDetail(
                "ACTIVE_SOURCE_SERVERS_QUOTA",
                f"quota 'source servers in active jobs' is {limits.active_source_servers}: "
                f"{busy} are in active jobs and this job adds {new_servers}",
                resource_type="SOURCE_SERVER",
            )
        )
    return errors


def _busy(server_id: str, active_jobs: Sequence[Job]) -> Job | None:
    return next((j for j in active_jobs if j.involves(server_id)), None)


def _missing_or_busy(server_id: str, server: SourceServer | None, active_jobs: Sequence[Job]) -> ErrorDetail | None:
    if server is None:
        return ErrorDetail("SOURCE_SERVER_NOT_FOUND", f"source server {server_id} does not exist", server_id)
    job = _busy(server_id, active_jobs)
    if job is not None:
        return ErrorDetail(
            "SOURCE_SERVER_STATE",
            f"source server {server_id} in state {server.state.value} already participates in active job {job.job_id}",
            server_id,
        )
    return None


def check_launchable(
    kind: InitiatedBy, server_id: str, server: SourceServer | None, active_jobs: Sequence[Job]
) -> ErrorDetail | None:
    problem = _missing_or_busy(server_id, server, active_jobs)
    if problem is not None or server is None:
        return problem
    if server.archived:
        return ErrorDetail("SOURCE_SERVER_STATE", f"source server {server_id} is archived", server_id)
    if server.state not in LAUNCHABLE_BY[kind]:
        noun = "a test launch" if kind is InitiatedBy.START_TEST else "a cutover"
        return ErrorDetail(
            "SOURCE_SERVER_STATE",
            f"source server {server_id} is in state {server.state.value}, from which {noun} cannot be launched",
            server_id,
        )
    return None


def check_terminable(server_id: str, server: SourceServer | None, active_jobs: Sequence[Job]) -> ErrorDetail | None:
    problem = _missing_or_busy(server_id, server, active_jobs)
    if problem is not None or server is None:
        return problem
    if server.state in NOT_TERMINABLE_STATES:
        return ErrorDetail(
            "SOURCE_SERVER_STATE",
            f"source server {server_id} is in state {server.state.value}; "
            "target instances cannot be terminated in TESTING, CUTTING_OVER or CUTOVER",
            server_id,
        )
    return None
