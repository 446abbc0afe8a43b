"""Before launching: refuse what cannot launch, and adopt a job a previous run started instead of launching twice."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..aws.shapes import (
    ActionStatus,
    Job,
    JobStatus,
    LaunchKind,
    LaunchRecord,
    LaunchStatus,
    LifeCycleState,
    SourceServer,
)
from ..errors import LaunchConflictError, MgnCutoverError, ServersNotLaunchableError
from .types import DescribeJobs, LaunchSpec

NOT_LAUNCHABLE_HINTS = {
    LifeCycleState.NOT_READY: "replication has not finished; wait until it is READY_FOR_TEST",
    LifeCycleState.STOPPED: "replication is stopped; start data replication again",
    LifeCycleState.DISCONNECTED: "the server is disconnected; reinstall or reconnect the replication agent",
    LifeCycleState.DISCOVERED: "the replication agent is not installed; install it and wait for the initial sync",
    LifeCycleState.PENDING_INSTALLATION: "the replication agent is still installing; wait for the initial sync",
    LifeCycleState.CUTOVER: "its cutover is already finalized; archive it or remove it from source_server_ids",
}
CONTINUOUS = "CONTINUOUS"  # the model's DataReplicationState of healthy, caught-up replication
LAUNCHABLE = {
    LaunchKind.TEST: {LifeCycleState.READY_FOR_TEST, LifeCycleState.TESTING, LifeCycleState.READY_FOR_CUTOVER},
    LaunchKind.CUTOVER: {
        LifeCycleState.READY_FOR_TEST,
        LifeCycleState.TESTING,
        LifeCycleState.READY_FOR_CUTOVER,
        LifeCycleState.CUTTING_OVER,
    },
}


@dataclass(frozen=True)
class Adopt:
    job_id: str
    job: Job | None  # None while the job is not yet visible to DescribeJobs


@dataclass(frozen=True)
class Start:
    pass


Plan = Adopt | Start


def plan_launch(
    spec: LaunchSpec, servers: Mapping[str, SourceServer], describe: DescribeJobs, where: str
) -> Plan:
    """Adopt the job every requested server's last launch names, or Start; raise what stands in the way."""
    missing = [i for i in spec.source_server_ids if i not in servers]
    if missing:
        raise ServersNotLaunchableError(
            f"Cannot start the {spec.kind.noun}: MGN in {where} does not know "
            f"{', '.join(missing)}; check the IDs, the region and account_id."
        )
    ordered = [servers[i] for i in spec.source_server_ids]
    records = {s.source_server_id: s.last_launch(spec.kind) for s in ordered}
    job_ids = {r.job_id for r in records.values() if r.active}
    if spec.require_successful_test:
        job_ids |= {s.last_test.job_id for s in ordered if s.last_test.active}
    jobs = _readable(describe(sorted(job_ids))) if job_ids else {}

    adopted = _adoptable(spec, records, jobs)
    if adopted is not None:
        return adopted

    problems: list[str] = []
    conflicts: list[str] = []
    for server in ordered:
        conflict = _conflict(spec, server, jobs)
        if conflict:
            conflicts.append(conflict)
            continue
        problem = _not_launchable(spec, server, jobs)
        if problem:
            problems.append(problem)
    if conflicts:
        raise LaunchConflictError(
            f"Refusing to launch the {spec.kind.noun} twice: {'; '.join(conflicts + problems)}."
        )
    if problems:
        raise ServersNotLaunchableError(f"Cannot start the {spec.kind.noun}: {'; '.join(problems)}.")
    return Start()


def _readable(answers: Mapping[str, Job | MgnCutoverError]) -> dict[str, Job]:
    """The jobs; a job this release cannot read stops the plan (it cannot tell whether to adopt it)."""
    for answer in answers.values():
        if isinstance(answer, MgnCutoverError):
            raise answer
    return {job_id: answer for job_id, answer in answers.items() if isinstance(answer, Job)}


def _adoptable(spec: LaunchSpec, records: Mapping[str, LaunchRecord], jobs: Mapping[str, Job]) -> Adopt | None:
    active = {r.job_id for r in records.values() if r.active}
    if len(active) != 1 or not all(r.active for r in records.values()):
        return None
    job_id = next(iter(active))
    job = jobs.get(job_id)
    if job is None:
        return Adopt(job_id, None)
    if job.server_ids != frozenset(spec.source_server_ids):
        return None
    if job.status is not JobStatus.COMPLETED:
        return Adopt(job_id, job)
    if all(s.launch_status is LaunchStatus.LAUNCHED for s in job.servers):
        return Adopt(job_id, job)
    return None


def _conflict(spec: LaunchSpec, server: SourceServer, jobs: Mapping[str, Job]) -> str:
    record = server.last_launch(spec.kind)
    if not record.active:
        return ""
    sid, job = server.source_server_id, jobs.get(record.job_id)
    if job is None:
        return f"{sid} was launched by job {record.job_id}, which MGN no longer lists; revert {sid} in MGN first"
    if job.server_ids == frozenset(spec.source_server_ids):
        return ""  # this resource's own earlier attempt, with failures: launching again is the retry
    others = ", ".join(sorted(job.server_ids))
    if job.status is not JobStatus.COMPLETED:
        return f"{sid} is in job {job.job_id} (servers {others}), still {job.status.value}; wait for it to finish"
    participant = job.server(sid)
    if participant is not None and participant.launch_status is LaunchStatus.LAUNCHED:
        return (
            f"{sid} was already launched by job {job.job_id} (servers {others}) and not reverted; "
            f"list exactly those servers to adopt that job, or revert {sid} in MGN (or use on_delete=revert) first"
        )
    return ""


def _not_launchable(spec: LaunchSpec, server: SourceServer, jobs: Mapping[str, Job]) -> str:
    sid = server.source_server_id
    if server.is_archived:
        return f"{sid} is archived; unarchive it or remove it from source_server_ids"
    try:
        state = LifeCycleState(server.state)
    except ValueError:
        return f"{sid} is in state {server.state or 'unknown'}, which this provider does not know how to launch"
    if state not in LAUNCHABLE[spec.kind]:
        hint = NOT_LAUNCHABLE_HINTS.get(state, f"a {spec.kind.noun} cannot start from {state.value}")
        return f"{sid} is {state.value} ({hint})"
    if spec.kind is LaunchKind.CUTOVER:
        problem = replication_problem(server, spec.max_replication_lag_seconds)
        if problem:
            return problem
    if spec.require_successful_test:
        return _test_problem(server, jobs)
    return ""


def replication_problem(server: SourceServer, max_lag_seconds: float | None) -> str:
    """The replication gate of a cutover: data replication CONTINUOUS, and its lag within the limit if one is set."""
    sid, state = server.source_server_id, server.replication_state
    if state and state != CONTINUOUS:
        return (
            f"{sid}'s data replication is {state}, not {CONTINUOUS}; cut over only once replication is healthy "
            "(see the server's data replication in the MGN console)"
        )
    lag = server.lag_seconds
    if max_lag_seconds is not None and lag is not None and lag > max_lag_seconds:
        return (
            f"{sid}'s replication lag is {lag:g} s, over max_replication_lag_seconds={max_lag_seconds:g}; wait for "
            "replication to catch up, or raise the limit"
        )
    return ""


def _test_problem(server: SourceServer, jobs: Mapping[str, Job]) -> str:
    sid, record = server.source_server_id, server.last_test
    if not record.job_id:
        return f"{sid} has never had a test launch (require_successful_test is set); run a TestLaunch first"
    if not record.active:
        return f"{sid}'s last test launch (job {record.job_id}) was reverted; launch a new test first"
    job = jobs.get(record.job_id)
    participant = job.server(sid) if job else None
    if job is None or participant is None:
        return f"{sid}'s last test launch (job {record.job_id}) is not listed by MGN; launch a new test first"
    if job.status is not JobStatus.COMPLETED:
        return f"{sid}'s test launch (job {job.job_id}) is still {job.status.value}; wait for it to finish"
    if participant.launch_status is not LaunchStatus.LAUNCHED:
        return f"{sid}'s last test launch (job {job.job_id}) ended {participant.launch_status.value}; fix and retest"
    failed = [a for a in participant.post_launch_actions if a.must_succeed and a.status is ActionStatus.FAILED]
    if failed:
        names = ", ".join(a.action_name for a in failed)
        return f"{sid}'s last test (job {job.job_id}) failed must-succeed post-launch actions: {names}"
    return ""
