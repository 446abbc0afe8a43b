"""Start or adopt a launch job, wait for it, and finish it (finalize a cutover, mark a test ready)."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping

from ..aws.api import MgnApi
from ..aws.shapes import Job, JobStatus, LaunchKind, LifeCycleState, SourceServer
from ..aws.target import TargetApi
from ..clock import Clock
from ..errors import JobTimeoutError, MgnConflictError, QuotaExceededError, TransientApiError
from .health import HealthWaiter
from .polling import SharedJobPoller
from .preflight import Adopt, Plan, plan_launch
from .types import LaunchResult, LaunchSpec, Progress
from .waiting import JobWaiter, WaitPlan

QUOTA_BACKOFF_FIRST_SECONDS = 5.0
QUOTA_BACKOFF_MAX_SECONDS = 60.0
QUOTA_JITTER_FRACTION = 0.5  # each pause is 50% to 100% of the backoff, so stacks at one quota do not retry in step


class LaunchEngine:
    """Plain Python: everything MGN-side a Cutover or TestLaunch does, whatever drives it."""

    def __init__(
        self,
        api: MgnApi,
        poller: SharedJobPoller,
        clock: Clock,
        progress: Progress,
        where: str,
        *,
        jitter: Callable[[], float] = random.random,
        target: TargetApi | None = None,
    ) -> None:
        """``jitter`` returns a number in [0, 1) for each quota pause (injected, as time is, for tests);
        ``target`` (launch configuration and EC2) is what the healthy-instance wait asks."""
        self._api = api
        self._jitter = jitter
        self._clock = clock
        self._progress = progress
        self._where = where
        self._waiter = JobWaiter(api, poller, clock, progress)
        self._health = HealthWaiter(target, clock, progress) if target is not None else None

    def launch(self, spec: LaunchSpec) -> LaunchResult:
        deadline = self._clock.monotonic() + spec.timeout_seconds
        job, adopted = self._start_or_adopt(spec, deadline)
        job = self._waiter.wait(self._wait_plan(spec, job.job_id, deadline), job if job.creation_time else None)
        if spec.wait_for_healthy_instances and self._health is not None:
            self._health.wait(job, deadline, spec.timeout_seconds, spec.poll_interval_seconds)
        return self._finish(spec, job, adopted)

    def _start_or_adopt(self, spec: LaunchSpec, deadline: float) -> tuple[Job, bool]:
        backoff = min(QUOTA_BACKOFF_FIRST_SECONDS, spec.poll_interval_seconds)
        while True:
            plan = self._plan(spec)
            if isinstance(plan, Adopt):
                return self._adopt(spec, plan)
            try:
                job = self._api.start_launch(spec.kind, spec.source_server_ids, spec.tags)
            except QuotaExceededError as exc:
                backoff = self._wait_for_room(spec, exc, deadline, backoff)
                continue
            except (TransientApiError, MgnConflictError):
                # The launch may have gone through before the failure (a lost reply, a concurrent run of the
                # same stack): adopt it if it did; otherwise nothing was started and the error stands.
                plan = self._plan(spec)
                if isinstance(plan, Adopt):
                    return self._adopt(spec, plan)
                raise
            count = len(spec.source_server_ids)
            self._progress.info(
                f"Started {spec.kind.noun} job {job.job_id} for {count} server{'' if count == 1 else 's'}."
            )
            return job, False

    def _plan(self, spec: LaunchSpec) -> Plan:
        servers = self._api.describe_source_servers(spec.source_server_ids)
        return plan_launch(spec, servers, self._api.describe_each_job, self._where)

    def _adopt(self, spec: LaunchSpec, plan: Adopt) -> tuple[Job, bool]:
        self._progress.info(f"Adopting {spec.kind.noun} job {plan.job_id}, started earlier; no new launch.")
        return plan.job or _placeholder(plan.job_id), True

    def _wait_for_room(self, spec: LaunchSpec, exc: QuotaExceededError, deadline: float, backoff: float) -> float:
        remaining = deadline - self._clock.monotonic()
        if remaining <= 0:
            raise JobTimeoutError(
                f"The {spec.label} never started: {exc} Still no room after timeout_seconds="
                f"{spec.timeout_seconds:g}; nothing was launched, run `pulumi up` again when other jobs finish."
            ) from exc
        pause = min(backoff * (1 - QUOTA_JITTER_FRACTION * self._jitter()), remaining)
        self._progress.info(f"{exc} Waiting {pause:.0f} s for room before launching again.")
        self._clock.sleep(pause)
        return min(backoff * 2, QUOTA_BACKOFF_MAX_SECONDS)

    def _wait_plan(self, spec: LaunchSpec, job_id: str, deadline: float) -> WaitPlan:
        return WaitPlan(
            job_id=job_id,
            noun=spec.kind.noun,
            deadline=deadline,
            timeout_seconds=spec.timeout_seconds,
            poll_interval_seconds=spec.poll_interval_seconds,
            wait_for_post_launch_actions=spec.wait_for_post_launch_actions,
        )

    def _finish(self, spec: LaunchSpec, job: Job, adopted: bool) -> LaunchResult:
        finalized = spec.kind is LaunchKind.CUTOVER and spec.finalize
        if finalized:
            self.finalize(job.job_id, spec.source_server_ids)
        marked = spec.kind is LaunchKind.TEST and spec.mark_ready_for_cutover
        if marked:
            self.mark_ready_for_cutover(job.job_id, spec.source_server_ids)
        return LaunchResult(job, spec.source_server_ids, adopted, finalized, marked)

    def finalize(self, job_id: str, source_server_ids: tuple[str, ...]) -> None:
        """FinalizeCutover for each server that this job cut over and that is not finalized yet."""
        servers = self._api.describe_source_servers(source_server_ids)
        for sid in source_server_ids:
            server = servers[sid]
            if server.last_cutover.finalized is not None and server.last_cutover.job_id == job_id:
                continue
            self._api.finalize_cutover(sid)
            self._progress.info(f"Finalized the cutover of {sid} (job {job_id}).")

    def mark_ready_for_cutover(self, job_id: str, source_server_ids: tuple[str, ...]) -> None:
        """ChangeServerLifeCycleState to READY_FOR_CUTOVER for each server still TESTING; progress names only those."""
        servers = self._api.describe_source_servers(source_server_ids)
        marked = [sid for sid in source_server_ids if servers[sid].state == LifeCycleState.TESTING.value]
        for sid in marked:
            self._api.change_life_cycle_state(sid, LifeCycleState.READY_FOR_CUTOVER.value)
        if marked:
            self._progress.info(f"Marked {', '.join(marked)} ready for cutover after test job {job_id}.")

    def refresh(self, kind: LaunchKind, job_id: str, source_server_ids: tuple[str, ...]) -> LaunchResult | None:
        """The job as MGN sees it now, or None when it is gone or its servers were reverted or relaunched."""
        job = self._api.describe_jobs([job_id]).get(job_id)
        if job is None:
            return None
        servers = self._api.describe_source_servers(source_server_ids)
        if not _still_launched_by(kind, job_id, source_server_ids, servers):
            return None
        finalized = all(servers[i].last_cutover.finalized is not None for i in source_server_ids)
        marked = all(servers[i].state == LifeCycleState.READY_FOR_CUTOVER.value for i in source_server_ids)
        return LaunchResult(job, source_server_ids, adopted=True, finalized=finalized, marked_ready_for_cutover=marked)

    def retag(self, job_arn: str, old: Mapping[str, str], new: Mapping[str, str]) -> None:
        removed = sorted(set(old) - set(new))
        if removed:
            self._api.untag_resource(job_arn, removed)
        changed = {k: v for k, v in new.items() if old.get(k) != v}
        if changed:
            self._api.tag_resource(job_arn, changed)


def _still_launched_by(
    kind: LaunchKind, job_id: str, ids: tuple[str, ...], servers: Mapping[str, SourceServer]
) -> bool:
    for sid in ids:
        server = servers.get(sid)
        if server is None:
            return False
        record = server.last_launch(kind)
        if record.job_id != job_id or not record.active:
            return False
    return True


def _placeholder(job_id: str) -> Job:
    """A job adopted before DescribeJobs lists it: known by ID only."""
    return Job(job_id, "", "LAUNCH", "", JobStatus.PENDING, "", "", ())
