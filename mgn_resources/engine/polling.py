"""Shared, adaptive polling: one DescribeJobs call per tick for every job waited on in this process."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from ..aws.shapes import Job
from ..clock import Cancellation, Clock
from ..errors import MgnCutoverError
from .types import DescribeJobs

MIN_INTERVAL_SECONDS = 1.0
INTERVAL_FRACTION = 0.05
#: A tick is also due just after a watched job's expected end: its creation plus the shortest duration this poller
#: saw for a job of its kind (initiatedBy) end. Only a hint: a job still running then is polled on its interval.
EXPECTED_END_MARGIN_SECONDS = 0.02
MIN_HINT_GAP_SECONDS = 0.05  # expected ends close together share a tick
_LEADER_NAP_SECONDS = 0.25


def job_age(job: Job | None, clock: Clock) -> float:
    """Seconds since ``job`` started (0 if unknown): a watch's ``elapsed``, on which its poll interval grows."""
    if job is None or job.created is None:
        return 0.0
    return max(0.0, (clock.now() - job.created).total_seconds())


def poll_interval(poll_interval_seconds: float, elapsed: float) -> float:
    """``min(poll_interval_seconds, max(1 s, 5% of the time since the job started))``."""
    return min(poll_interval_seconds, max(MIN_INTERVAL_SECONDS, INTERVAL_FRACTION * max(elapsed, 0.0)))


@dataclass
class Watch:
    job_id: str
    poll_interval_seconds: float  # the ceiling of this watcher's interval
    started_at: float  # on the poller's monotonic clock
    describe: DescribeJobs  # this watcher's own DescribeJobs, used when it leads a tick
    seen: int = 0  # the last tick this watcher consumed
    cancellation: Cancellation | None = None  # once cancelled, this watcher's next_tick returns None

    @property
    def cancelled(self) -> bool:
        return self.cancellation is not None and self.cancellation.cancelled


@dataclass(frozen=True)
class Tick:
    job: Job | None  # None: the job is not (yet) visible to DescribeJobs
    error: MgnCutoverError | None  # the tick's failed call, or what DescribeJobs answered for this job alone


class SharedJobPoller:
    """Waiters take turns leading a tick; the leader sleeps until the earliest watcher is due, then polls for all.

    No background thread: a waiter that finds no leader becomes it, so polling stops when nobody waits. Each
    waiter brings its own DescribeJobs (its API, for the same endpoint and account); a leader polls with its own.
    A waiter may bring a ``Cancellation`` too: once it is cancelled, that waiter's ``next_tick`` returns None within
    a nap (a leader stops leading, and another waiter takes over), the others wait on.
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._cond = threading.Condition()
        self._watches: dict[int, Watch] = {}
        self._ids = itertools.count(1)
        self._tick = 0
        self._last_tick_at = float("-inf")
        self._leading = False
        self._jobs: Mapping[str, Job | MgnCutoverError] = {}
        self._error: MgnCutoverError | None = None
        self._listeners: list[Callable[[Mapping[str, Job | MgnCutoverError]], None]] = []
        self._durations: dict[str, float] = {}  # initiatedBy -> the shortest creation-to-end seen, in seconds

    @property
    def clock(self) -> Clock:
        return self._clock

    def watch(
        self,
        job_id: str,
        poll_interval_seconds: float,
        elapsed: float,
        describe: DescribeJobs,
        cancellation: Cancellation | None = None,
    ) -> int:
        with self._cond:
            key = next(self._ids)
            started_at = self._clock.monotonic() - elapsed
            self._watches[key] = Watch(
                job_id, poll_interval_seconds, started_at, describe, seen=self._tick, cancellation=cancellation
            )
            return key

    def listen(self, listener: Callable[[Mapping[str, Job | MgnCutoverError]], None]) -> None:
        """Call ``listener`` with every tick's answers (each watched job's state), on the thread that led the tick:
        the launch admission learns from it that a job ended, in the tick that saw it."""
        with self._cond:
            self._listeners.append(listener)

    def unwatch(self, key: int) -> None:
        with self._cond:
            self._watches.pop(key, None)
            self._cond.notify_all()

    def next_tick(self, key: int, deadline: float) -> Tick | None:
        """The job's state from the next tick after the last one this watcher saw; None at the deadline, or once the
        watcher's cancellation is cancelled."""
        while True:
            with self._cond:
                watch = self._watches[key]
                if self._tick > watch.seen:
                    watch.seen = self._tick
                    answer = self._jobs.get(watch.job_id)
                    if isinstance(answer, MgnCutoverError):
                        return Tick(None, self._error or answer)
                    return Tick(answer, self._error)
                if self._clock.monotonic() >= deadline or watch.cancelled:
                    return None
                if self._leading:
                    self._cond.wait(_LEADER_NAP_SECONDS)
                    continue
                self._leading = True
                describe = watch.describe
            try:
                self._lead(deadline, describe, watch.cancellation)
            finally:
                with self._cond:
                    self._leading = False
                    self._cond.notify_all()

    def _lead(self, deadline: float, describe: DescribeJobs, cancellation: Cancellation | None) -> None:
        while True:
            if cancellation is not None and cancellation.cancelled:
                return
            with self._cond:
                due = self._next_due()
            now = self._clock.monotonic()
            if now >= due:
                break
            if now >= deadline:
                return
            self._clock.sleep(min(due - now, deadline - now, _LEADER_NAP_SECONDS), cancellation)
        with self._cond:
            job_ids = sorted({w.job_id for w in self._watches.values()})
        jobs: Mapping[str, Job | MgnCutoverError] = {}
        error: MgnCutoverError | None = None
        try:
            jobs = describe(job_ids)
        except MgnCutoverError as exc:
            error = exc
        with self._cond:
            listeners = list(self._listeners) if error is None else []
        for listener in listeners:  # before the waiters see the tick, so a slot freed in it is granted already
            listener(jobs)
        with self._cond:
            self._tick += 1
            self._last_tick_at = self._clock.monotonic()
            if error is None:
                self._jobs = jobs
                self._learn_durations(jobs.values())
            self._error = error

    def _next_due(self) -> float:
        now = self._clock.monotonic()
        intervals = [poll_interval(w.poll_interval_seconds, now - w.started_at) for w in self._watches.values()]
        due = self._last_tick_at + min(intervals, default=MIN_INTERVAL_SECONDS)
        return min(due, self._expected_end_tick(now))

    def _learn_durations(self, answers: Iterable[Job | MgnCutoverError]) -> None:
        for job in answers:
            if isinstance(job, Job) and job.created is not None and job.ended is not None:
                seconds = (job.ended - job.created).total_seconds()
                if seconds >= 0:
                    self._durations[job.initiated_by] = min(seconds, self._durations.get(job.initiated_by, seconds))

    def _expected_end_tick(self, now: float) -> float:
        """Just after the earliest expected end of a watched job that no tick has passed yet (inf: none)."""
        watched = {w.job_id for w in self._watches.values()}
        wall_now = self._clock.now()
        ends = [self._expected_end(job, now, wall_now) for job_id, job in self._jobs.items() if job_id in watched]
        upcoming = [end + EXPECTED_END_MARGIN_SECONDS for end in ends if end is not None]
        upcoming = [at for at in upcoming if at > self._last_tick_at]
        return max(min(upcoming), self._last_tick_at + MIN_HINT_GAP_SECONDS) if upcoming else float("inf")

    def _expected_end(self, job: Job | MgnCutoverError, now: float, wall_now: datetime) -> float | None:
        """When a running ``job`` should end on the monotonic clock (``now`` there is ``wall_now``), if a job of its
        kind was seen to end."""
        if not isinstance(job, Job) or job.created is None or job.ended is not None:
            return None
        duration = self._durations.get(job.initiated_by)
        if duration is None:
            return None
        return now + (job.created - wall_now).total_seconds() + duration


_POLLERS: dict[object, SharedJobPoller] = {}
_POLLERS_LOCK = threading.Lock()


def shared_poller(key: object, clock: Clock) -> SharedJobPoller:
    """The process-wide poller for one MGN endpoint and account (``key``), on ``clock``.

    Waiters pass their DescribeJobs to ``watch``. One key has one clock: asking for it on another is a bug.
    """
    with _POLLERS_LOCK:
        poller = _POLLERS.get(key)
        if poller is None:
            poller = SharedJobPoller(clock)
            _POLLERS[key] = poller
        elif poller.clock is not clock:
            raise ValueError(f"the shared poller for {key!r} runs on {poller.clock!r}, not on {clock!r}")
        return poller
