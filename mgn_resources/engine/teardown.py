"""What deleting a launch does in MGN: nothing (retain), revert the servers, or terminate the instances."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum

from ..aws.api import MgnApi
from ..aws.shapes import LaunchKind, LifeCycleState, SourceServer
from ..clock import Cancellation, Clock
from ..errors import TeardownError, UpdateCancelledError
from .polling import SharedJobPoller
from .types import Progress, ServerLaunch, named_jobs
from .waiting import JobWaiter, WaitPlan


class OnDelete(StrEnum):
    RETAIN = "retain"
    REVERT = "revert"
    TERMINATE = "terminate"


REVERTED_STATE = {LaunchKind.CUTOVER: LifeCycleState.READY_FOR_CUTOVER, LaunchKind.TEST: LifeCycleState.READY_FOR_TEST}
LAUNCHED_STATE = {LaunchKind.CUTOVER: LifeCycleState.CUTTING_OVER, LaunchKind.TEST: LifeCycleState.TESTING}


class Teardown:
    def __init__(
        self,
        api: MgnApi,
        poller: SharedJobPoller,
        clock: Clock,
        progress: Progress,
        cancellation: Cancellation | None = None,
    ) -> None:
        """Once ``cancellation`` is cancelled, nothing is reverted or terminated any more, and a terminate job's wait
        stops within a second (each raises :class:`UpdateCancelledError`)."""
        self._api = api
        self._clock = clock
        self._progress = progress
        self._cancellation = cancellation
        self._waiter = JobWaiter(api, poller, clock, progress, cancellation)

    def run(
        self,
        kind: LaunchKind,
        mode: OnDelete,
        launches: Sequence[ServerLaunch],
        timeout_seconds: float,
        poll_interval_seconds: float,
    ) -> None:
        """Apply ``mode`` to each server the launches name, where MGN still shows that server launched by that job."""
        jobs = named_jobs(s.job_id for s in launches)
        if mode is OnDelete.RETAIN:
            self._progress.info(f"Keeping the {kind.noun} of {jobs} in MGN (on_delete=retain).")
            return
        by_server = {s.source_server_id: s.job_id for s in launches if s.job_id}
        servers = self._api.describe_source_servers(tuple(by_server))
        ours = [servers[i] for i, job in by_server.items() if i in servers and _launched_by(kind, job, servers[i])]
        for skipped in sorted(set(by_server) - {s.source_server_id for s in ours}):
            self._progress.warn(
                f"{skipped} is no longer in job {by_server[skipped]}'s {kind.noun}; leaving it as it is."
            )
        if ours and self._cancellation is not None and self._cancellation.cancelled:
            raise UpdateCancelledError(
                f"The {mode.value} of {', '.join(s.source_server_id for s in ours)} ({jobs}) was not started: the "
                "update was cancelled; nothing was changed in MGN, run the command again to do it."
            )
        self._revert(kind, jobs, ours)
        if mode is OnDelete.TERMINATE:
            self._terminate(kind, by_server, ours, timeout_seconds, poll_interval_seconds)

    def _revert(self, kind: LaunchKind, jobs: str, servers: list[SourceServer]) -> None:
        finalized = [s.source_server_id for s in servers if s.state == LifeCycleState.CUTOVER.value]
        if finalized:
            raise TeardownError(
                f"Cannot revert {', '.join(finalized)}: the cutover of {jobs} is finalized and MGN cannot "
                "undo it; set on_delete=retain, or archive the servers in MGN and remove them from state."
            )
        for server in servers:
            if server.state == LAUNCHED_STATE[kind].value:
                self._api.change_life_cycle_state(server.source_server_id, REVERTED_STATE[kind].value)
                self._progress.info(f"Reverted {server.source_server_id} to {REVERTED_STATE[kind].value}.")

    def _terminate(
        self,
        kind: LaunchKind,
        by_server: Mapping[str, str],
        servers: list[SourceServer],
        timeout_seconds: float,
        poll_interval_seconds: float,
    ) -> None:
        targets = [
            s.source_server_id for s in servers
            if s.launched_job_id == by_server.get(s.source_server_id) and s.launched_instance_id
        ]
        if not targets:
            return
        job = self._api.terminate_target_instances(targets, {})
        self._progress.info(f"Terminating the {kind.noun} instances of {', '.join(targets)} (job {job.job_id}).")
        plan = WaitPlan(
            job_id=job.job_id,
            noun="terminate",
            deadline=self._clock.monotonic() + timeout_seconds,
            timeout_seconds=timeout_seconds,
            poll_interval_seconds=poll_interval_seconds,
            wait_for_post_launch_actions=False,
            after_failure="fix the cause and run `pulumi destroy` again",
            after_cancel="the job goes on in MGN; check in the MGN console that it ended before running the command "
            "again",
        )
        self._waiter.wait(plan, job)


def _launched_by(kind: LaunchKind, job_id: str, server: SourceServer) -> bool:
    record = server.last_launch(kind)
    return record.job_id == job_id and record.active
