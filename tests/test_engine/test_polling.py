"""The adaptive, shared polling policy, on an injected clock: exact, and instant."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import timedelta

import pytest

from mgn_resources.aws import Job, JobStatus
from mgn_resources.engine import SharedJobPoller, poll_interval, shared_poller
from mgn_resources.engine.polling import EXPECTED_END_MARGIN_SECONDS
from tests.harness.emulator import ManualClock


def fresh_clock() -> ManualClock:
    """An injected clock whose monotonic time starts at 0, so the times below read as seconds since the start."""
    return ManualClock(monotonic_start=0.0)


def job(job_id: str, status: JobStatus) -> Job:
    return Job(job_id, f"arn:{job_id}", "LAUNCH", "START_CUTOVER", status, "", "", ())


class ScriptedMgn:
    """DescribeJobs for jobs that complete at given clock times; records each call."""

    def __init__(self, clock: ManualClock, completes_at: Mapping[str, float]) -> None:
        self.clock = clock
        self.completes_at = completes_at
        self.calls: list[tuple[float, tuple[str, ...]]] = []

    def describe_jobs(self, job_ids: Sequence[str]) -> dict[str, Job]:
        self.calls.append((self.clock.monotonic(), tuple(job_ids)))
        return {
            i: job(i, JobStatus.COMPLETED if self.clock.monotonic() >= self.completes_at[i] else JobStatus.STARTED)
            for i in job_ids
        }


def wait_until_completed(
    poller: SharedJobPoller, mgn: ScriptedMgn | TimedMgn, job_id: str, poll_interval_seconds: float, deadline: float
) -> float | None:
    key = poller.watch(job_id, poll_interval_seconds, 0.0, mgn.describe_jobs)
    try:
        while True:
            tick = poller.next_tick(key, deadline)
            if tick is None:
                return None
            if tick.job is not None and tick.job.status is JobStatus.COMPLETED:
                return poller._clock.monotonic()
    finally:
        poller.unwatch(key)


def test_interval_is_one_second_then_five_percent_capped_by_the_ceiling() -> None:
    assert poll_interval(15.0, 0.0) == 1.0
    assert poll_interval(15.0, 19.0) == 1.0
    assert poll_interval(15.0, 100.0) == 5.0
    assert poll_interval(15.0, 3600.0) == 15.0
    assert poll_interval(0.05, 100.0) == 0.05


def test_a_20_second_job_is_noticed_within_a_second_in_at_most_30_calls() -> None:
    clock = fresh_clock()
    mgn = ScriptedMgn(clock, {"mgnjob-a": 20.0})
    poller = SharedJobPoller(clock)

    noticed = wait_until_completed(poller, mgn, "mgnjob-a", 15.0, deadline=3600.0)

    assert noticed is not None and 20.0 <= noticed <= 21.0
    assert len(mgn.calls) <= 30
    gaps = [b[0] - a[0] for a, b in zip(mgn.calls, mgn.calls[1:])]
    assert all(abs(g - 1.0) < 1e-9 for g in gaps)


def test_a_long_job_backs_off_to_the_ceiling() -> None:
    clock = fresh_clock()
    mgn = ScriptedMgn(clock, {"mgnjob-a": 1800.0})
    poller = SharedJobPoller(clock)

    noticed = wait_until_completed(poller, mgn, "mgnjob-a", 15.0, deadline=3600.0)

    assert noticed is not None and 1800.0 <= noticed <= 1800.0 + 15.0
    late_gaps = [b[0] - a[0] for a, b in zip(mgn.calls, mgn.calls[1:]) if a[0] > 400]
    assert late_gaps and all(abs(g - 15.0) < 1e-6 for g in late_gaps)
    assert len(mgn.calls) < 200  # a fixed 1 s loop would make 1800


def test_the_deadline_ends_the_wait_without_a_result() -> None:
    clock = fresh_clock()
    mgn = ScriptedMgn(clock, {"mgnjob-a": 10_000.0})
    poller = SharedJobPoller(clock)

    assert wait_until_completed(poller, mgn, "mgnjob-a", 15.0, deadline=60.0) is None
    assert clock.monotonic() <= 60.0 + 1e-9


def test_waiters_in_threads_share_one_describe_call_per_tick() -> None:
    clock = fresh_clock()
    job_ids = [f"mgnjob-{n}" for n in range(8)]
    mgn = ScriptedMgn(clock, {i: 30.0 for i in job_ids})
    poller = SharedJobPoller(clock)
    keys = [poller.watch(i, 15.0, 0.0, mgn.describe_jobs) for i in job_ids]
    barrier = threading.Barrier(len(job_ids))
    noticed: dict[str, float] = {}

    def wait(key: int, job_id: str) -> None:
        barrier.wait()
        while True:
            tick = poller.next_tick(key, 3600.0)
            assert tick is not None
            if tick.job is not None and tick.job.status is JobStatus.COMPLETED:
                noticed[job_id] = clock.monotonic()
                return

    # Daemon threads: a poller that hangs fails the assertions below instead of hanging the interpreter's exit.
    threads = [threading.Thread(target=wait, args=(k, i), daemon=True) for k, i in zip(keys, job_ids)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)

    assert set(noticed) == set(job_ids)
    assert all(len(ids) == len(job_ids) for _, ids in mgn.calls[:-1])  # every call covers every job
    assert len(mgn.calls) <= 32  # one per tick: about 31 ticks for a 30 s wait, not 8 x 31


def test_each_waiter_polls_with_its_own_describe_on_a_shared_poller() -> None:
    clock = fresh_clock()
    key = ("endpoint", uuid.uuid4().hex)
    first, second = ScriptedMgn(clock, {"mgnjob-a": 5.0}), ScriptedMgn(clock, {"mgnjob-b": 10.0})
    # Polled each second from 0 s: the job completing at 5 s is seen by the poll at 5 s.
    assert wait_until_completed(shared_poller(key, clock), first, "mgnjob-a", 15.0, deadline=60.0) == 5.0
    calls_before = len(first.calls)

    # The poller for this key exists now; the second waiter's DescribeJobs is the one that runs for it.
    assert wait_until_completed(shared_poller(key, clock), second, "mgnjob-b", 15.0, deadline=60.0) == 10.0
    assert len(first.calls) == calls_before
    assert second.calls and all(ids == ("mgnjob-b",) for _, ids in second.calls)


def test_asking_for_a_shared_poller_on_another_clock_is_an_error() -> None:
    key = ("endpoint", uuid.uuid4().hex)
    clock = fresh_clock()
    assert shared_poller(key, clock) is shared_poller(key, clock)
    with pytest.raises(ValueError, match="runs on"):
        shared_poller(key, fresh_clock())


class TimedMgn:
    """DescribeJobs for jobs created and ending at given monotonic times, answered with MGN's creation and end times
    (wall clock), as the poller learns a kind of job's duration from them."""

    def __init__(self, clock: ManualClock, jobs: Mapping[str, tuple[float, float]]) -> None:
        self.clock = clock
        self.wall_at_zero = clock.now() - timedelta(seconds=clock.monotonic())
        self.jobs = jobs  # job ID -> (created, ends) on the monotonic clock
        self.calls: list[float] = []

    def describe_jobs(self, job_ids: Sequence[str]) -> dict[str, Job]:
        now = self.clock.monotonic()
        self.calls.append(now)
        answers = {}
        for job_id in job_ids:
            created, ends = self.jobs[job_id]
            done = now >= ends
            answers[job_id] = replace(
                job(job_id, JobStatus.COMPLETED if done else JobStatus.STARTED),
                created=self.wall_at_zero + timedelta(seconds=created),
                ended=self.wall_at_zero + timedelta(seconds=ends) if done else None,
            )
        return answers


def test_a_job_is_polled_just_after_its_expected_end_once_a_job_of_its_kind_was_seen_to_end() -> None:
    clock = fresh_clock()
    # A took 8 s; B starts between two of the 1 s ticks and takes as long: polled at 1 s, its end is seen 0.7 s late.
    mgn = TimedMgn(clock, {"mgnjob-a": (0.0, 8.0), "mgnjob-b": (8.3, 16.3)})
    poller = SharedJobPoller(clock)
    assert wait_until_completed(poller, mgn, "mgnjob-a", 15.0, deadline=60.0) == 8.0
    clock.advance(0.3)

    noticed = wait_until_completed(poller, mgn, "mgnjob-b", 15.0, deadline=60.0)

    assert noticed is not None and 16.3 <= noticed <= 16.3 + EXPECTED_END_MARGIN_SECONDS + 1e-9
    assert len([t for t in mgn.calls if t > 8.0]) <= 9  # the 1 s ticks up to 16 s, then the one at its expected end


def test_a_job_still_running_at_its_expected_end_goes_back_to_its_interval() -> None:
    clock = fresh_clock()
    mgn = TimedMgn(clock, {"mgnjob-a": (0.0, 8.0), "mgnjob-b": (8.3, 20.0)})
    poller = SharedJobPoller(clock)
    wait_until_completed(poller, mgn, "mgnjob-a", 15.0, deadline=60.0)
    clock.advance(0.3)

    noticed = wait_until_completed(poller, mgn, "mgnjob-b", 15.0, deadline=60.0)

    assert noticed is not None and 20.0 <= noticed <= 21.0
    late = [t for t in mgn.calls if t > 16.3]
    assert late[0] == pytest.approx(16.3 + EXPECTED_END_MARGIN_SECONDS)  # the one tick the expected end asked for
    gaps = [b - a for a, b in zip(late, late[1:])]
    assert all(g == pytest.approx(1.0) for g in gaps)  # then its 1 s interval again: no tight loop
