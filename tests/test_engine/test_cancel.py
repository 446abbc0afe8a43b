"""Cancel (the plugin's Cancel RPC: Ctrl-C in the pulumi CLI): every wait stops within a second, naming the job, which
goes on in MGN; nothing is started after it; a launch without a cancellation (the dynamic face) is as before.

On the injected clock the stop is exact (the cancelled wait polls no more); on the real clock it is prompt (a pause
of seconds, a quota backoff or a health poll, is cut short, not slept to its end).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import pytest

from mgn_resources.aws import Connection, Job, JobLogItem, JobStatus, LaunchKind, MgnApi, build_client
from mgn_resources.aws.target import TargetApi
from mgn_resources.clock import SYSTEM_CLOCK, Cancellation
from mgn_resources.engine import LaunchEngine, SharedJobPoller, SilentProgress, Teardown
from mgn_resources.engine.health import HealthWaiter
from mgn_resources.engine.teardown import OnDelete
from mgn_resources.engine.waiting import JobWaiter, WaitPlan
from mgn_resources.errors import UpdateCancelledError
from mgn_resources.lifecycle.translate import launch_spec
from tests.harness.canned import CannedMgn, reply
from tests.harness.canned_ec2 import CannedEc2, Ec2Reply, instance_ids, statuses
from tests.harness.emulator import ManualClock
from tests.harness.emulator import server_id as sid

from .conftest import Rig
from .test_quota_jitter import ONE_ATTEMPT, QUOTA, SERVER

T = TypeVar("T")
#: How soon a cancelled wait on the real clock must end: the issue's "promptly".
PROMPTLY_SECONDS = 1.0
ADOPTED = "the job goes on in MGN and the next `pulumi up` adopts it."


def started_job(job_id: str) -> Job:
    return Job(job_id, f"arn:{job_id}", "LAUNCH", "START_CUTOVER", JobStatus.STARTED, "", "", ())


class CancellingMgn:
    """DescribeJobs for jobs that never finish, on a manual clock; cancels ``cancellation`` at ``cancel_at``."""

    def __init__(self, clock: ManualClock, cancellation: Cancellation, cancel_at: float) -> None:
        self.clock, self.cancellation, self.cancel_at = clock, cancellation, cancel_at
        self.calls: list[float] = []

    def describe_each_job(self, job_ids: Sequence[str]) -> Mapping[str, Job]:
        self.calls.append(self.clock.monotonic())
        if self.clock.monotonic() >= self.cancel_at:
            self.cancellation.cancel()
        return {job_id: started_job(job_id) for job_id in job_ids}

    def describe_job_log_items(self, job_id: str) -> list[JobLogItem]:
        return []


def cancelled_within(
    seconds: float, call: Callable[[], T], cancellation: Cancellation, when: Callable[[], None]
) -> Exception:
    """Run ``call`` in a thread, cancel once ``when`` returns; the exception it ended with, within ``seconds``."""
    outcome: list[BaseException | T] = []
    worker = threading.Thread(target=lambda: outcome.append(_caught(call)), daemon=True)
    worker.start()
    when()
    assert worker.is_alive(), f"the call ended before the cancel: {outcome}"
    cancelled_at = time.monotonic()
    cancellation.cancel()
    worker.join(timeout=30)
    took = time.monotonic() - cancelled_at
    assert not worker.is_alive(), "the call went on after the cancel"
    assert took < seconds, f"the call ended {took:.2f} s after the cancel"
    (ended,) = outcome
    assert isinstance(ended, Exception), ended
    return ended


def _caught(call: Callable[[], T]) -> BaseException | T:
    try:
        return call()
    except Exception as exc:  # noqa: BLE001 - handed to the test to judge
        return exc


# ---- the poller and the job wait, on the injected clock ----


def test_a_cancelled_watcher_gets_no_tick_more_and_the_other_watcher_polls_on() -> None:
    clock = ManualClock(monotonic_start=0.0)
    cancellation = Cancellation()
    mgn = CancellingMgn(clock, cancellation, cancel_at=10.0)
    poller = SharedJobPoller(clock)
    cancelled = poller.watch("mgnjob-a", 15.0, 0.0, mgn.describe_each_job, cancellation)
    other = poller.watch("mgnjob-b", 15.0, 0.0, mgn.describe_each_job)

    ticks = 0
    while poller.next_tick(cancelled, deadline=3600.0) is not None:
        ticks += 1
        assert ticks < 100, "the cancelled watcher kept getting ticks"
    assert clock.monotonic() == 10.0 and mgn.calls[-1] == 10.0  # it stopped at the cancel: no poll, no nap after

    polls = len(mgn.calls)
    assert poller.next_tick(other, deadline=3600.0) is not None  # the tick the cancelled leader made
    assert poller.next_tick(other, deadline=3600.0) is not None  # a new tick: the other leads now
    assert len(mgn.calls) == polls + 1


def test_a_job_wait_ends_at_the_cancel_with_one_sentence_naming_the_job() -> None:
    clock = ManualClock(monotonic_start=0.0)
    cancellation = Cancellation()
    mgn = CancellingMgn(clock, cancellation, cancel_at=42.0)
    waiter = JobWaiter(mgn, SharedJobPoller(clock), clock, SilentProgress(), cancellation)  # type: ignore[arg-type]
    plan = WaitPlan(
        job_id="mgnjob-0123456789abcdef0",
        noun="cutover",
        deadline=3600.0,
        timeout_seconds=3600.0,
        poll_interval_seconds=30.0,
        wait_for_post_launch_actions=False,
    )

    with pytest.raises(UpdateCancelledError) as raised:
        waiter.wait(plan, None)

    assert str(raised.value) == (
        f"The cutover job mgnjob-0123456789abcdef0 was not waited for to the end: the update was cancelled; {ADOPTED}"
    )
    assert clock.monotonic() < 42.0 + 30.0 and mgn.calls[-1] < 42.0 + 30.0  # not one more poll interval


def test_without_a_cancellation_the_wait_runs_to_its_deadline_as_before() -> None:
    clock = ManualClock(monotonic_start=0.0)
    mgn = CancellingMgn(clock, Cancellation(), cancel_at=42.0)  # cancels a cancellation the waiter was not given
    waiter = JobWaiter(mgn, SharedJobPoller(clock), clock, SilentProgress())  # type: ignore[arg-type]
    plan = WaitPlan("mgnjob-1", "cutover", 120.0, 120.0, 30.0, False)

    with pytest.raises(Exception, match="did not finish within 120 s"):
        waiter.wait(plan, None)
    assert clock.monotonic() == 120.0


# ---- the launch, on the real clock against the emulator ----


@pytest.fixture
def slow_rig(rig_factory: Callable[..., Rig]) -> Rig:
    return rig_factory(launch_seconds=3.0)


def cancellable(rig: Rig, cancellation: Cancellation, **kwargs: Any) -> LaunchEngine:
    poller = SharedJobPoller(SYSTEM_CLOCK)
    return LaunchEngine(rig.api, poller, SYSTEM_CLOCK, rig.progress, "us-east-1", cancellation=cancellation, **kwargs)


def after_call(rig: Rig, operation: str, then: float = 0.3, timeout: float = 10.0) -> Callable[[], None]:
    """Blocks until the emulator was called ``operation``, then ``then`` seconds more."""

    def wait() -> None:
        deadline = time.monotonic() + timeout
        while operation not in rig.ops():
            assert time.monotonic() < deadline, f"no {operation} within {timeout} s: {rig.ops()}"
            time.sleep(0.02)
        time.sleep(then)

    return wait


@pytest.mark.slow
def test_a_cancel_mid_wait_ends_the_launch_promptly_and_the_next_launch_adopts_the_job(slow_rig: Rig) -> None:
    cancellation = Cancellation()
    engine = cancellable(slow_rig, cancellation)
    spec = slow_rig.spec(sid(1), sid(2), poll_interval_seconds=30.0)

    raised = cancelled_within(
        PROMPTLY_SECONDS, lambda: engine.launch(spec), cancellation, after_call(slow_rig, "StartCutover")
    )

    (job,) = slow_rig.client().describe_jobs()["items"]
    assert isinstance(raised, UpdateCancelledError)
    assert str(raised) == (
        f"The cutover job {job['jobID']} was not waited for to the end: the update was cancelled; {ADOPTED}"
    )
    assert job["status"] != "COMPLETED"  # the job goes on in MGN

    adopted = slow_rig.engine.launch(slow_rig.spec(sid(1), sid(2)))  # the next up: no cancellation
    assert adopted.adopted and adopted.job.job_id == job["jobID"]
    assert slow_rig.ops().count("StartCutover") == 1


def test_a_launch_cancelled_before_it_started_starts_nothing(rig: Rig) -> None:
    cancellation = Cancellation()
    cancellation.cancel()

    with pytest.raises(UpdateCancelledError) as raised:
        cancellable(rig, cancellation).launch(rig.spec(sid(1), sid(2)))

    assert str(raised.value) == (
        f"The cutover of {sid(1)}, {sid(2)} was not started: the update was cancelled; nothing was launched, and the "
        "next `pulumi up` launches them."
    )
    assert "StartCutover" not in rig.ops()


@pytest.mark.slow
def test_a_cancel_during_the_quota_backoff_ends_it_and_starts_nothing_more() -> None:
    servers = {"items": [{"sourceServerID": SERVER, "lifeCycle": {"state": "READY_FOR_CUTOVER"}}]}
    with CannedMgn({"DescribeSourceServers": reply(servers), "StartCutover": QUOTA}) as mgn:
        api = MgnApi(build_client(Connection(region="us-east-1", endpoint_url=mgn.url), config=ONE_ATTEMPT))
        cancellation = Cancellation()
        engine = LaunchEngine(
            api, SharedJobPoller(SYSTEM_CLOCK), SYSTEM_CLOCK, SilentProgress(), "us-east-1",
            jitter=lambda: 0.0, cancellation=cancellation,
        )
        inputs = {"source_server_ids": [SERVER], "timeout_seconds": 600.0, "poll_interval_seconds": 30.0,
                  "wait_for_healthy_instances": False}

        raised = cancelled_within(
            PROMPTLY_SECONDS,
            lambda: engine.launch(launch_spec(LaunchKind.CUTOVER, inputs)),
            cancellation,
            lambda: time.sleep(0.5),  # into the first pause, of 5 s
        )

        assert isinstance(raised, UpdateCancelledError)
        assert str(raised).startswith(f"The cutover of {SERVER} was not started: the update was cancelled")
        assert mgn.calls.count("StartCutover") == 1  # the refused one; none after the cancel


@pytest.fixture
def checks_never_pass() -> Iterator[CannedEc2]:
    """EC2 answering that every instance runs with its status checks still initializing."""

    def describe(params: Mapping[str, list[str]]) -> Ec2Reply:
        return statuses(dict.fromkeys(instance_ids(params), "running"), checks="initializing")

    with CannedEc2({"DescribeInstanceStatus": describe}) as ec2:
        yield ec2


@pytest.mark.slow
def test_a_cancel_during_the_health_wait_ends_it_promptly_naming_the_instances(
    rig: Rig, checks_never_pass: CannedEc2
) -> None:
    launched = rig.engine.launch(rig.spec(sid(1)))  # no target: no health wait here
    instance = launched.job.servers[0].instance_id
    cancellation = Cancellation()
    waiter = HealthWaiter(TargetApi(rig.client(), checks_never_pass.client()), SYSTEM_CLOCK, rig.progress,
                          cancellation=cancellation)

    raised = cancelled_within(
        PROMPTLY_SECONDS,
        lambda: waiter.wait(launched.launches, SYSTEM_CLOCK.monotonic() + 600, 600, 30.0),  # polls every 30 s
        cancellation,
        lambda: time.sleep(0.5),  # into the first pause, of 30 s
    )

    assert isinstance(raised, UpdateCancelledError)
    assert str(raised) == (
        f"The instances of job {launched.job.job_id} ({instance}) were not waited for to pass their EC2 status "
        "checks: the update was cancelled; the next `pulumi up` keeps them and waits for their checks."
    )


def test_a_teardown_cancelled_before_it_started_changes_nothing(rig: Rig) -> None:
    launched = rig.engine.launch(rig.spec(sid(1)))
    cancellation = Cancellation()
    cancellation.cancel()
    teardown = Teardown(rig.api, SharedJobPoller(SYSTEM_CLOCK), SYSTEM_CLOCK, rig.progress, cancellation)
    before = rig.ops()

    with pytest.raises(UpdateCancelledError) as raised:
        teardown.run(LaunchKind.CUTOVER, OnDelete.TERMINATE, launched.launches, 30.0, 0.05)

    assert str(raised.value).startswith(f"The terminate of {sid(1)} (job {launched.job.job_id}) was not started")
    assert [op for op in rig.ops()[len(before):] if not op.startswith("Describe")] == []


class CancelsWhenCompleted:
    """Progress that cancels as soon as the wait reports its job COMPLETED: the cancel comes after the wait's end."""

    def __init__(self, cancellation: Cancellation) -> None:
        self.cancellation = cancellation

    def info(self, message: str) -> None:
        if " COMPLETED: " in message:
            self.cancellation.cancel()

    def warn(self, message: str) -> None:
        pass


def test_a_cancel_after_the_job_ended_finalizes_nothing(rig: Rig) -> None:
    cancellation = Cancellation()
    engine = LaunchEngine(rig.api, SharedJobPoller(SYSTEM_CLOCK), SYSTEM_CLOCK, CancelsWhenCompleted(cancellation),
                          "us-east-1", cancellation=cancellation)

    with pytest.raises(UpdateCancelledError) as raised:
        engine.launch(rig.spec(sid(1), finalize=True))

    (job,) = rig.client().describe_jobs()["items"]
    assert str(raised.value) == (
        f"The cutover job {job['jobID']} is done, but its servers were not finalized: the update was cancelled; the "
        "next `pulumi up` keeps the launch and finishes it."
    )
    assert "FinalizeCutover" not in rig.ops()
    assert rig.engine.launch(rig.spec(sid(1), finalize=True)).finalized  # the next up
    assert rig.ops().count("StartCutover") == 1 and rig.ops().count("FinalizeCutover") == 1
