"""What deleting a launch does in MGN: nothing (retain), revert the servers, or terminate the instances."""

from __future__ import annotations

from enum import StrEnum

from ..aws.api import MgnApi
from ..aws.shapes import LaunchKind, LifeCycleState, SourceServer
from ..clock import Clock
from ..errors import TeardownError
from .polling import SharedJobPoller
from .types import Progress
from .waiting import JobWaiter, WaitPlan


class OnDelete(StrEnum):
    RETAIN = "retain"
    REVERT = "revert"
    TERMINATE = "terminate"


REVERTED_STATE = {LaunchKind.CUTOVER: LifeCycleState.READY_FOR_CUTOVER, LaunchKind.TEST: LifeCycleState.READY_FOR_TEST}
LAUNCHED_STATE = {LaunchKind.CUTOVER: LifeCycleState.CUTTING_OVER, LaunchKind.TEST: LifeCycleState.TESTING}


class Teardown:
    def __init__(self, api: MgnApi, poller: SharedJobPoller, clock: Clock, progress: Progress) -> None:
        self._api = api
        self._clock = clock
        self._progress = progress
        self._waiter = JobWaiter(api, poller, clock, progress)

    def run(
        self,
        kind: LaunchKind,
        mode: OnDelete,
        job_id: str,
        source_server_ids: tuple[str, ...],
        timeout_seconds: float,
        poll_interval_seconds: float,
    ) -> None:
        if mode is OnDelete.RETAIN:
            self._progress.info(f"Keeping the {kind.noun} of job {job_id} in MGN (on_delete=retain).")
            return
        servers = self._api.describe_source_servers(source_server_ids)
        ours = [servers[i] for i in source_server_ids if i in servers and _launched_by(kind, job_id, servers[i])]
        for skipped in sorted(set(source_server_ids) - {s.source_server_id for s in ours}):
            self._progress.warn(f"{skipped} is no longer in job {job_id}'s {kind.noun}; leaving it as it is.")
        self._revert(kind, job_id, ours)
        if mode is OnDelete.TERMINATE:
            self._terminate(kind, job_id, ours, timeout_seconds, poll_interval_seconds)

    def _revert(self, kind: LaunchKind, job_id: str, servers: list[SourceServer]) -> None:
        finalized = [s.source_server_id for s in servers if s.state == LifeCycleState.CUTOVER.value]
        if finalized:
            raise TeardownError(
                f"Cannot revert {', '.join(finalized)}: the cutover of job {job_id} is finalized and MGN cannot "
                "undo it; set on_delete=retain, or archive the servers in MGN and remove them from state."
            )
        for server in servers:
            if server.state == LAUNCHED_STATE[kind].value:
                self._api.change_life_cycle_state(server.source_server_id, REVERTED_STATE[kind].value)
                self._progress.info(f"Reverted {server.source_server_id} to {REVERTED_STATE[kind].value}.")

    def _terminate(
        self,
        kind: LaunchKind,
        job_id: str,
        servers: list[SourceServer],
        timeout_seconds: float,
        poll_interval_seconds: float,
    ) -> None:
        targets = [s.source_server_id for s in servers if s.launched_job_id == job_id and s.launched_instance_id]
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
        )
        self._waiter.wait(plan, job)


def _launched_by(kind: LaunchKind, job_id: str, server: SourceServer) -> bool:
    record = server.last_launch(kind)
    return record.job_id == job_id and record.active
