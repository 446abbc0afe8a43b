"""Start or adopt a launch job, wait for it, and finish it (finalize a cutover, mark a test ready)."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence

from ..aws.api import MgnApi
from ..aws.shapes import Job, JobStatus, LaunchKind, LaunchStatus, LifeCycleState
from ..aws.target import TargetApi
from ..clock import Cancellation, Clock
from ..errors import (
    JobFailedError,
    JobTimeoutError,
    MgnConflictError,
    QuotaExceededError,
    TransientApiError,
    UpdateCancelledError,
)
from .admission import Admission, Outcome, Ticket, admission_for
from .health import HealthWaiter
from .polling import SharedJobPoller
from .preflight import Plan, plan_launch
from .refresh import refresh_launches
from .server_truth import ServerTruth
from .types import LaunchResult, LaunchSpec, Progress, Refreshed, ServerLaunch, ServerState
from .waiting import JobWaiter, WaitPlan, failure_message

#: While a launch waits for a free job slot, a line says why when it changes (at most this often) ...
SLOT_REPORT_MIN_SECONDS = 10.0
#: ... and at least this often.
SLOT_REPORT_MAX_SECONDS = 30.0


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
        cancellation: Cancellation | None = None,
        admission: Admission | None = None,
    ) -> None:
        """``jitter`` returns a number in [0, 1) for each pause of a launch refused at a quota with no job in sight to
        wait for (injected, as time is, for tests); launches wait for a free job slot in ``admission`` (by default
        ``poller``'s: one per process and account, on MGN's documented quotas);
        ``target`` (launch configuration and EC2) is what the healthy-instance wait asks; once ``cancellation`` is
        cancelled, every wait stops within a second and nothing more is started, finalized or marked (each raises
        :class:`UpdateCancelledError`), while a job started already goes on in MGN."""
        self._api = api
        self._jitter = jitter
        self._clock = clock
        self._progress = progress
        self._where = where
        self._cancellation = cancellation
        self._waiter = JobWaiter(api, poller, clock, progress, cancellation)
        self._health = (
            HealthWaiter(target, clock, progress, cancellation=cancellation) if target is not None else None
        )
        self._truth = ServerTruth(api, target)
        self._admission = admission or admission_for(poller)

    def launch(self, spec: LaunchSpec) -> LaunchResult:
        """Every server of ``spec`` launched: those launched already are kept, those a running job launches are waited
        for, and the rest start in one new job. Raises when any server fails (the others stay launched, and the next
        launch of the same spec starts only the failed ones)."""
        deadline = self._clock.monotonic() + spec.timeout_seconds
        plan, started = self._start(spec, deadline)
        finished = self._wait_all(spec, plan, started, deadline)
        launches = _after_jobs(spec, plan, finished)
        self._raise_failures(spec, launches, finished)
        if spec.wait_for_healthy_instances and self._health is not None:
            launched = [s for s in launches if s.state is ServerState.LAUNCHED]
            self._health.wait(launched, deadline, spec.timeout_seconds, spec.poll_interval_seconds)
        job = finished[started.job_id] if started is not None else _main_job(plan, finished)
        if self._cancelled() and (spec.finalize or spec.mark_ready_for_cutover):
            follow_up = "finalized" if spec.kind is LaunchKind.CUTOVER else "marked ready for cutover"
            raise UpdateCancelledError(
                f"The {spec.kind.noun} job {job.job_id} is done, but its servers were not {follow_up}: the update "
                f"was cancelled; the next `pulumi up` keeps the launch and finishes it."
            )
        return self._finish(spec, job, tuple(launches), adopted=started is None)

    def _cancelled(self) -> bool:
        return self._cancellation is not None and self._cancellation.cancelled

    def _start(self, spec: LaunchSpec, deadline: float) -> tuple[Plan, Job | None]:
        # This launch's place in the admission, taken as it comes in (first come, first served: not in the order the
        # launches' surveys of their servers happen to answer), until it starts a job.
        ticket = self._admission.enqueue(len(spec.source_server_ids))
        placed = True
        try:
            while True:
                plan = self._plan(spec)
                if not plan.to_launch:
                    self._report_kept(spec, plan)
                    return plan, None
                if self._cancelled():
                    them = "them" if len(plan.to_launch) > 1 else "it"
                    raise UpdateCancelledError(
                        f"The {spec.kind.noun} of {', '.join(plan.to_launch)} was not started: the update was "
                        f"cancelled; nothing was launched, and the next `pulumi up` launches {them}."
                    )
                self._admission.shrink(ticket, len(plan.to_launch))
                if not ticket.granted or ticket.delay:
                    self._wait_for_slot(spec, ticket, deadline)
                    continue  # plan again after a wait: another runner may have launched these servers meanwhile
                try:
                    job = self._api.start_launch(spec.kind, plan.to_launch, spec.tags)
                except QuotaExceededError as exc:
                    self._progress.info(f"{exc} Waiting for one of the account's active jobs to end to launch again.")
                    self._admission.refused(
                        ticket, exc, self._api.describe_active_jobs, self._api.describe_each_job,
                        spec.poll_interval_seconds,
                    )
                    continue
                except (TransientApiError, MgnConflictError):
                    # The launch may have gone through before the failure (a lost reply, a concurrent run of the
                    # same stack): if the servers are launching now, plan again (adopting that job); otherwise nothing
                    # was started and the error stands.
                    if set(self._plan(spec).to_launch) != set(plan.to_launch):
                        continue
                    raise
                self._admission.started(ticket, job, self._api.describe_each_job, spec.poll_interval_seconds)
                placed = False
                break
        finally:
            if placed:
                self._admission.withdraw(ticket)
        self._report_kept(spec, plan)
        count = len(plan.to_launch)
        self._progress.info(
            f"Started {spec.kind.noun} job {job.job_id} for {count} server{'' if count == 1 else 's'}"
            f" ({', '.join(plan.to_launch)})."
        )
        return plan, job

    def preflight(self, spec: LaunchSpec) -> Plan:
        """Read-only (DescribeSourceServers, DescribeJobs, DescribeInstanceStatus): what a launch of ``spec`` would
        keep, wait for and start, or the one-sentence error it would raise first (an unknown, archived, stalled or
        untested server). A preview calls this: it never starts, changes or tags anything."""
        return self._plan(spec)

    def _plan(self, spec: LaunchSpec) -> Plan:
        survey = self._truth.survey(spec.kind, spec.source_server_ids, with_last_tests=spec.require_successful_test)
        return plan_launch(spec, survey, self._where)

    def _report_kept(self, spec: LaunchSpec, plan: Plan) -> None:
        launches = plan.survey.launches
        kept = [launches[sid] for sid in plan.kept]
        if kept:
            named = ", ".join(
                f"{s.source_server_id} (job {s.job_id}{', instance ' + s.instance_id if s.instance_id else ''})"
                for s in kept
            )
            self._progress.info(f"Keeping {named}: launched already, so not launched again.")
        for job_id in plan.in_flight:
            ids = [s.source_server_id for s in launches.values() if s.job_id == job_id]
            self._progress.info(
                f"Adopting {spec.kind.noun} job {job_id}, started earlier, for {', '.join(ids)}; no new launch for "
                f"{'them' if len(ids) > 1 else 'it'}."
            )

    def _wait_all(self, spec: LaunchSpec, plan: Plan, started: Job | None, deadline: float) -> dict[str, Job]:
        """Each job that launches some of the servers, once it is done."""
        known = {job_id: plan.survey.jobs.get(job_id) for job_id in plan.in_flight}
        if started is not None:
            known[started.job_id] = started
        finished: dict[str, Job] = {}
        for job_id, job in known.items():
            finished[job_id] = self._waiter.wait(
                self._wait_plan(spec, job_id, deadline), job if job is not None and job.creation_time else None
            )
        return finished

    def _raise_failures(self, spec: LaunchSpec, launches: Sequence[ServerLaunch], finished: Mapping[str, Job]) -> None:
        failed = [s for s in launches if s.state is ServerState.FAILED]
        if not failed:
            return
        kept = [s.source_server_id for s in launches if s.state.done]
        again = ", ".join(s.source_server_id for s in failed)
        after = (
            f"{', '.join(kept)} launched and {'stay' if len(kept) > 1 else 'stays'} launched, so "
            if kept else ""
        ) + f"fix the cause and run `pulumi up` again, which launches only {again}"
        failed_jobs = [finished[job_id] for job_id in dict.fromkeys(s.job_id for s in failed) if job_id in finished]
        messages = [
            failure_message(job, spec.kind.noun, self._waiter.launch_errors(job.job_id), after) for job in failed_jobs
        ]
        raise JobFailedError(
            " ".join(messages) or f"The {spec.kind.noun} of {again} failed; {after}."
        )

    def _wait_for_slot(self, spec: LaunchSpec, ticket: Ticket, deadline: float) -> None:
        """Until the admission grants ``ticket`` a slot (then its jittered delay, if any); returns on a cancel, for the
        caller to raise; raises JobTimeoutError at the deadline."""
        if ticket.granted:
            delay, ticket.delay = ticket.delay, 0.0
            self._clock.sleep(min(delay, max(deadline - self._clock.monotonic(), 0.0)), self._cancellation)
            return
        printed_at, printed = -float("inf"), ""

        def report(line: str) -> None:
            nonlocal printed_at, printed
            since = self._clock.monotonic() - printed_at
            if since >= SLOT_REPORT_MAX_SECONDS or (line != printed and since >= SLOT_REPORT_MIN_SECONDS):
                self._progress.info(line)
                printed_at, printed = self._clock.monotonic(), line

        outcome = self._admission.wait(
            ticket, deadline, self._api.describe_each_job, where=self._where,
            poll_interval_seconds=spec.poll_interval_seconds, cancellation=self._cancellation, jitter=self._jitter,
            report=report,
        )
        if outcome is Outcome.TIMED_OUT:
            refused = f" {ticket.refusal}" if ticket.refusal is not None else ""
            raise JobTimeoutError(
                f"The {spec.label} never started:{refused} Still no free MGN job slot after timeout_seconds="
                f"{spec.timeout_seconds:g}; nothing was launched, run `pulumi up` again when other jobs finish."
            )

    def _wait_plan(self, spec: LaunchSpec, job_id: str, deadline: float) -> WaitPlan:
        return WaitPlan(
            job_id=job_id,
            noun=spec.kind.noun,
            deadline=deadline,
            timeout_seconds=spec.timeout_seconds,
            poll_interval_seconds=spec.poll_interval_seconds,
            wait_for_post_launch_actions=spec.wait_for_post_launch_actions,
            return_failed=True,
            meanwhile=self._health.prepare if spec.wait_for_healthy_instances and self._health is not None else None,
        )

    def _finish(self, spec: LaunchSpec, job: Job, launches: tuple[ServerLaunch, ...], adopted: bool) -> LaunchResult:
        finalized = spec.kind is LaunchKind.CUTOVER and spec.finalize
        if finalized:
            self.finalize(launches)
        marked = spec.kind is LaunchKind.TEST and spec.mark_ready_for_cutover
        if marked:
            self.mark_ready_for_cutover(launches)
        return LaunchResult(job, launches, adopted, finalized, marked)

    def finalize(self, launches: Sequence[ServerLaunch]) -> None:
        """FinalizeCutover for each server whose cutover launch is live and not finalized yet."""
        ids = tuple(s.source_server_id for s in launches if s.state is ServerState.LAUNCHED)
        servers = self._api.describe_source_servers(ids) if ids else {}
        for launch in launches:
            server = servers.get(launch.source_server_id)
            if server is None or server.last_cutover.finalized is not None:
                continue
            self._api.finalize_cutover(launch.source_server_id)
            self._progress.info(f"Finalized the cutover of {launch.source_server_id} (job {launch.job_id}).")

    def mark_ready_for_cutover(self, launches: Sequence[ServerLaunch]) -> None:
        """ChangeServerLifeCycleState to READY_FOR_CUTOVER for each server still TESTING; progress names only those."""
        ids = tuple(s.source_server_id for s in launches if s.state is ServerState.LAUNCHED)
        servers = self._api.describe_source_servers(ids) if ids else {}
        marked = [sid for sid in ids if sid in servers and servers[sid].state == LifeCycleState.TESTING.value]
        for sid in marked:
            self._api.change_life_cycle_state(sid, LifeCycleState.READY_FOR_CUTOVER.value)
        if marked:
            jobs = ", ".join(dict.fromkeys(s.job_id for s in launches if s.source_server_id in marked))
            self._progress.info(f"Marked {', '.join(marked)} ready for cutover after test job {jobs}.")

    def refresh(self, kind: LaunchKind, recorded: Sequence[ServerLaunch]) -> Refreshed:
        """Each recorded server's launch as MGN and EC2 tell it now (see :func:`refresh_launches`)."""
        return refresh_launches(self._truth, self._progress, kind, recorded)

    def retag(self, job_arn: str, old: Mapping[str, str], new: Mapping[str, str]) -> None:
        removed = sorted(set(old) - set(new))
        if removed:
            self._api.untag_resource(job_arn, removed)
        changed = {k: v for k, v in new.items() if old.get(k) != v}
        if changed:
            self._api.tag_resource(job_arn, changed)


def _after_jobs(spec: LaunchSpec, plan: Plan, finished: Mapping[str, Job]) -> list[ServerLaunch]:
    """Each server's launch once the jobs that launched it are done (kept servers as the plan found them)."""
    launches = []
    for sid in spec.source_server_ids:
        launch = plan.survey.launches.get(sid) or ServerLaunch(source_server_id=sid, state=ServerState.PENDING)
        job = next((j for j in finished.values() if j.server(sid) is not None), None)
        participant = job.server(sid) if job is not None else None
        if job is not None and participant is not None and not launch.state.done:
            launched = participant.launch_status is LaunchStatus.LAUNCHED and participant.instance_id
            launch = ServerLaunch(
                source_server_id=sid,
                state=ServerState.LAUNCHED if launched else ServerState.FAILED,
                job_id=job.job_id,
                job_arn=job.arn,
                launch_status=participant.launch_status.value,
                instance_id=participant.instance_id if launched else "",
                post_launch_actions=participant.post_launch_actions,
            )
        launches.append(launch)
    return launches


def _main_job(plan: Plan, finished: Mapping[str, Job]) -> Job:
    """The job a create adopted when it started none: the first running one, else the first kept server's."""
    if finished:
        return next(iter(finished.values()))
    for sid in plan.kept:
        job_id = plan.survey.launches[sid].job_id
        if job_id in plan.survey.jobs:
            return plan.survey.jobs[job_id]
        if job_id:
            return _placeholder(job_id)
    raise AssertionError("a plan with nothing to launch keeps or waits for every server")


def _placeholder(job_id: str) -> Job:
    """A job adopted before DescribeJobs lists it: known by ID only."""
    return Job(job_id, "", "LAUNCH", "", JobStatus.PENDING, "", "", ())
