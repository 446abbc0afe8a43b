"""Before launching: keep each server launched already, wait for those a running job launches, and refuse what
cannot launch among the rest."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..aws.shapes import ActionStatus, Job, JobStatus, LaunchKind, LaunchStatus, LifeCycleState, SourceServer
from ..errors import ServersNotLaunchableError
from .server_truth import Survey
from .types import LaunchSpec, ServerState

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
class Plan:
    """Per server: what is launched already (kept), what a running job is launching (waited for), what to launch."""

    survey: Survey
    to_launch: tuple[str, ...]

    @property
    def in_flight(self) -> tuple[str, ...]:
        """The running jobs that launch some of the servers, in the order of the servers."""
        jobs = [s.job_id for s in self.survey.launches.values() if s.state is ServerState.IN_PROGRESS]
        return tuple(dict.fromkeys(jobs))

    @property
    def kept(self) -> tuple[str, ...]:
        return tuple(sid for sid, s in self.survey.launches.items() if s.state.done)


def plan_launch(spec: LaunchSpec, survey: Survey, where: str) -> Plan:
    """Launch only the servers with no live launch of the spec's kind; raise what stands in the way of those."""
    missing = [i for i in spec.source_server_ids if i not in survey.servers]
    if missing:
        raise ServersNotLaunchableError(
            f"Cannot start the {spec.kind.noun}: MGN in {where} does not know "
            f"{', '.join(missing)}; check the IDs, the region and account_id."
        )
    to_launch = tuple(
        sid for sid in spec.source_server_ids
        if not survey.launches[sid].state.done and survey.launches[sid].state is not ServerState.IN_PROGRESS
    )
    problems = [p for p in (_not_launchable(spec, survey.servers[sid], survey.jobs) for sid in to_launch) if p]
    if problems:
        raise ServersNotLaunchableError(f"Cannot start the {spec.kind.noun}: {'; '.join(problems)}.")
    return Plan(survey, to_launch)


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
