"""Wait for one MGN job through the shared poller, report what changes, and judge the outcome."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..aws.api import MgnApi
from ..aws.shapes import ActionStatus, Job, JobStatus, LaunchStatus
from ..clock import Cancellation, Clock
from ..errors import (
    JobFailedError,
    JobNotFoundError,
    JobTimeoutError,
    MgnCutoverError,
    UnexpectedResponseError,
    UpdateCancelledError,
)
from .job_progress import JobHeartbeat
from .polling import SharedJobPoller, job_age, poll_interval
from .types import Progress

# How long a job may stay invisible to DescribeJobs after it started before the wait gives up on it.
VISIBILITY_GRACE_SECONDS = 60.0
# A wait's ``meanwhile`` runs at its first tick this far into the job: the launches of a round have started by then,
# so the work it does (building the EC2 client) holds up no StartCutover.
MEANWHILE_AFTER_SECONDS = 1.0


@dataclass(frozen=True)
class WaitPlan:
    job_id: str
    noun: str  # "cutover", "test launch", "terminate"
    deadline: float  # on the clock's monotonic scale
    timeout_seconds: float
    poll_interval_seconds: float  # the ceiling of the poll interval
    wait_for_post_launch_actions: bool
    visibility_grace_seconds: float = VISIBILITY_GRACE_SECONDS
    after_failure: str = "fix the cause and run `pulumi up` again to launch them again"
    after_cancel: str = "the job goes on in MGN and the next `pulumi up` adopts it"
    return_failed: bool = False  # a job with FAILED servers is returned for the caller to judge, not raised
    meanwhile: Callable[[], None] | None = None  # run once while the job runs: what the end of the wait needs ready


class JobWaiter:
    def __init__(
        self,
        api: MgnApi,
        poller: SharedJobPoller,
        clock: Clock,
        progress: Progress,
        cancellation: Cancellation | None = None,
    ) -> None:
        """``cancellation``: once cancelled, a wait stops within a second, raising :class:`UpdateCancelledError`."""
        self._api = api
        self._poller = poller
        self._clock = clock
        self._progress = progress
        self._cancellation = cancellation

    def wait(self, plan: WaitPlan, known: Job | None) -> Job:
        """The job once it is done (and its post-launch actions, if asked); raise on failure, timeout or cancel."""
        elapsed = job_age(known, self._clock)
        key = self._poller.watch(
            plan.job_id, plan.poll_interval_seconds, elapsed, self._api.describe_each_job, self._cancellation
        )
        watching_since = self._clock.monotonic()
        last_summary = ""
        heartbeat = JobHeartbeat(
            plan.job_id,
            self._api.describe_job_log_items,
            self._clock,
            self._progress,
            next_tick_within=lambda: poll_interval(
                plan.poll_interval_seconds, elapsed + self._clock.monotonic() - watching_since
            ),
        )
        failing_polls = 0
        meanwhile = plan.meanwhile
        try:
            while True:
                tick = self._poller.next_tick(key, plan.deadline)
                if tick is None and self._cancellation is not None and self._cancellation.cancelled:
                    raise UpdateCancelledError(
                        f"The {plan.noun} job {plan.job_id} was not waited for to the end: the update was cancelled; "
                        f"{plan.after_cancel}."
                    )
                if tick is None:
                    raise self._timeout(plan, known)
                if isinstance(tick.error, UnexpectedResponseError):
                    # A status this release cannot judge: polling again would not help. (A copy: waiters share ticks.)
                    raise tick.error.during(tick.error.operation)
                if tick.error is not None:
                    failing_polls = self._report_poll_error(plan, tick.error, failing_polls)
                    continue
                if failing_polls:
                    self._progress.info(f"MGN answers again after {failing_polls} failed polls of job {plan.job_id}.")
                    failing_polls = 0
                job = tick.job
                if job is None:
                    if self._clock.monotonic() - watching_since > plan.visibility_grace_seconds:
                        raise JobNotFoundError(
                            f"Job {plan.job_id} is not listed by DescribeJobs {plan.visibility_grace_seconds:.0f} s "
                            "after it started; check the region and account_id, then run `pulumi up` again."
                        )
                    continue
                known = job
                if meanwhile is not None and job.ended is None and job_age(job, self._clock) >= MEANWHILE_AFTER_SECONDS:
                    meanwhile()
                    meanwhile = None
                summary = _summary(job, plan.noun)
                if summary != last_summary:
                    self._progress.info(summary)
                    last_summary = summary
                    heartbeat.printed()
                if job.status is JobStatus.COMPLETED and self._finished(job, plan):
                    return job
                heartbeat.tick(job, summary)  # a line with each server's status when 30 s passed since the last
        finally:
            self._poller.unwatch(key)

    def _finished(self, job: Job, plan: WaitPlan) -> bool:
        failed = [s for s in job.servers if s.launch_status is LaunchStatus.FAILED]
        if failed and plan.return_failed:
            return True
        if failed:
            raise JobFailedError(failure_message(job, plan.noun, self.launch_errors(job.job_id), plan.after_failure))
        if not plan.wait_for_post_launch_actions:
            return True
        actions = [(s.source_server_id, a) for s in job.servers for a in s.post_launch_actions]
        if any(not a.terminal for _, a in actions):
            return False
        blocking = [(sid, a) for sid, a in actions if a.must_succeed and a.status is ActionStatus.FAILED]
        if blocking:
            described = "; ".join(
                f"{sid}: {a.action_name or a.document_name} ({a.failure_reason or 'no reason given'})"
                for sid, a in blocking
            )
            raise JobFailedError(
                f"The {plan.noun} job {job.job_id} launched every server but must-succeed post-launch actions "
                f"failed: {described}; fix the action or the instance, then revert the servers in MGN and run "
                "`pulumi up` again."
            )
        for sid, action in actions:
            if action.status is ActionStatus.FAILED:
                self._progress.warn(
                    f"Post-launch action {action.action_name or action.document_name} failed on {sid} in job "
                    f"{job.job_id} ({action.failure_reason or 'no reason given'}); it is not must-succeed, "
                    "so the launch goes on."
                )
        return True

    def launch_errors(self, job_id: str) -> dict[str, str]:
        """Each FAILED server's reason, from the job log (empty when the log cannot be read: a warning says so)."""
        try:
            items = self._api.describe_job_log_items(job_id)
        except MgnCutoverError as exc:
            self._progress.warn(f"Could not read the log of job {job_id}: {exc}")
            return {}
        return {i.source_server_id: i.raw_error for i in items if i.event == "LAUNCH_FAILED" and i.source_server_id}

    def _report_poll_error(self, plan: WaitPlan, error: MgnCutoverError, failing_polls: int) -> int:
        if failing_polls == 0:
            self._progress.warn(
                f"Polling job {plan.job_id} failed ({error}); still waiting, up to timeout_seconds="
                f"{plan.timeout_seconds:g}."
            )
        return failing_polls + 1

    def _timeout(self, plan: WaitPlan, job: Job | None) -> JobTimeoutError:
        if job is None:
            pending = "no server has been reported yet"
        else:
            waiting = [
                s.source_server_id
                for s in job.servers
                if s.launch_status in (LaunchStatus.PENDING, LaunchStatus.IN_PROGRESS)
                or any(not a.terminal for a in s.post_launch_actions)
            ]
            pending = f"still pending: {', '.join(waiting) or 'none'} (job {job.status.value})"
        return JobTimeoutError(
            f"The {plan.noun} job {plan.job_id} did not finish within {plan.timeout_seconds:g} s; {pending}; "
            "the job goes on in AWS and the next `pulumi up` adopts it."
        )


def _summary(job: Job, noun: str) -> str:
    total = len(job.servers)
    launched = sum(s.launch_status is LaunchStatus.LAUNCHED for s in job.servers)
    failed = sum(s.launch_status is LaunchStatus.FAILED for s in job.servers)
    actions = [a for s in job.servers for a in s.post_launch_actions]
    text = f"{noun.capitalize()} job {job.job_id} {job.status.value}: {launched} of {total} launched"
    if failed:
        text += f", {failed} failed"
    if actions:
        done = sum(a.terminal for a in actions)
        text += f"; post-launch actions {done} of {len(actions)} done"
    return text + "."


def failure_message(job: Job, noun: str, reasons: Mapping[str, str], after: str) -> str:
    failed = [s.source_server_id for s in job.servers if s.launch_status is LaunchStatus.FAILED]
    described = "; ".join(f"{sid} ({reasons.get(sid) or 'no reason in the job log'})" for sid in failed)
    return (
        f"The {noun} job {job.job_id} completed with {len(failed)} of {len(job.servers)} servers FAILED: "
        f"{described}; {after}."
    )
