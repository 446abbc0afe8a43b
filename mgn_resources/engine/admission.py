"""Admission of launches against MGN's account quotas: a launch waits for a free job slot and starts as soon as the
shared poller sees a job end, first come, first served, instead of retrying StartCutover blindly.

One :class:`Admission` per shared poller (so per endpoint and account in a process): it counts the jobs this process
started and the jobs other runners hold that it learned of, and grants queued launches in arrival order while the
counts are within MGN's quotas (``aws/quotas.py``). MGN stays the arbiter: a refused StartCutover puts the launch back
at the head of the queue, and the admission lists the account's active jobs (DescribeJobs of the jobs not COMPLETED),
counts the others' jobs, lowers its limit if MGN's is lower, and waits until one of those jobs ends; a launch granted
after a job ended while other runners share the account first waits a jittered moment, so runners do not stampede.
"""

from __future__ import annotations

import itertools
import random
import threading
import weakref
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from ..aws.quotas import ACTIVE_SOURCE_SERVERS, CONCURRENT_JOBS, MGN_QUOTAS, Quotas
from ..aws.shapes import Job, JobStatus
from ..clock import Cancellation, iso8601
from ..errors import MgnCutoverError, QuotaExceededError
from .polling import SharedJobPoller, job_age
from .types import DescribeJobs

#: After a job ends while other runners share the account, a granted launch first waits up to this long (jittered).
CONTENDED_JITTER_SECONDS = 1.0
#: Refused with no job in sight to wait for: try again after a backoff from the poll interval (or 5 s) up to 60 s,
#: each pause 50% to 100% of it.
FALLBACK_FIRST_SECONDS = 5.0
FALLBACK_MAX_SECONDS = 60.0
FALLBACK_JITTER_FRACTION = 0.5
#: How far back the account's jobs are read when looking for the active ones (DescribeJobs has no status filter).
ACTIVE_JOBS_WINDOW = timedelta(days=7)
_NAP_SECONDS = 0.25
#: While launches queue for a slot, the shared poller ticks every 1% of the oldest counted job's age, from 0.25 s to
#: 5 s (the jobs' own waits tick every 1 s at first, then 5% of their age): the first slot to free is seen within
#: seconds in a night of jobs of many minutes, within a quarter second among jobs of seconds; once a job of the kind
#: was seen to end, each job is also polled just after its expected end (``polling.py``).
QUEUED_TICK_FRACTION = 0.01
QUEUED_TICK_MIN_SECONDS = 0.25
QUEUED_TICK_MAX_SECONDS = 5.0

ListActiveJobs = Callable[[str], Sequence[Job]]  # fromDate (ISO 8601) -> the account's jobs not COMPLETED


class Outcome(Enum):
    GRANTED = "granted"
    TIMED_OUT = "timed out"
    CANCELLED = "cancelled"


@dataclass(eq=False)
class Ticket:
    """One launch's place: queued, then granted (a reserved slot) until it started a job, was refused or withdrew."""

    servers: int
    arrival: int = 0  # the order launches came in: a refused launch goes back to its place, before later ones
    granted: bool = False
    delay: float = 0.0  # seconds to wait before trying, once granted (jitter while other runners share the account)
    refusal: QuotaExceededError | None = None  # MGN's last refusal of this launch


@dataclass
class _Counted:
    servers: int
    own: bool
    key: int  # the poller watch that keeps this job in every tick's DescribeJobs
    job: Job  # as MGN answered when it was counted (its creation time sets the queued tick)


def queued_tick(age: float) -> float:
    """How often the queue looks for a freed slot, given the oldest counted job's age in seconds."""
    return min(QUEUED_TICK_MAX_SECONDS, max(QUEUED_TICK_MIN_SECONDS, QUEUED_TICK_FRACTION * age))


class Admission:
    def __init__(
        self, poller: SharedJobPoller, quotas: Quotas = MGN_QUOTAS, *, jitter: Callable[[], float] = random.random
    ) -> None:
        """``jitter`` (a number in [0, 1), injected as time is) spreads the tries of runners sharing the account."""
        self._poller = poller
        self._jitter = jitter
        self._clock = poller.clock
        self._quotas = quotas
        self._cond = threading.Condition()
        self._queue: deque[Ticket] = deque()
        self._arrivals = itertools.count()
        self._reserved: dict[Ticket, int] = {}  # granted, not started yet: each holds a job slot and its servers
        self._active: dict[str, _Counted] = {}
        self._jobs_limit = quotas.concurrent_jobs
        self._servers_limit = quotas.servers_in_active_jobs
        self._blocked = False  # refused by MGN: nothing is granted until a counted job ends (or the fallback pause)
        self._contended = False  # other runners hold jobs on the account
        self._backoff = 0.0  # the fallback's next pause (0: not backing off)
        self._driving = False  # one waiter at a time drives the poller on behalf of the queue
        poller.listen(self._on_tick)

    # ---- what a launch calls ---------------------------------------------------------------------
    def enqueue(self, servers: int) -> Ticket:
        """A launch of up to ``servers`` servers takes its place in the queue as it comes in."""
        with self._cond:
            ticket = Ticket(servers, next(self._arrivals))
            self._queue.append(ticket)
            self._grant()
        return ticket

    def shrink(self, ticket: Ticket, servers: int) -> None:
        """``ticket`` launches only ``servers`` of its servers (the others are launched already): it holds room for
        those alone."""
        with self._cond:
            if servers >= ticket.servers:
                return
            ticket.servers = servers
            if ticket in self._reserved:
                self._reserved[ticket] = servers
            self._grant()

    def wait(
        self,
        ticket: Ticket,
        deadline: float,
        describe: DescribeJobs,
        *,
        where: str,
        poll_interval_seconds: float,
        cancellation: Cancellation | None = None,
        jitter: Callable[[], float] = random.random,
        report: Callable[[str], None] = lambda line: None,
    ) -> Outcome:
        """Until ``ticket`` is granted, the deadline passes or ``cancellation`` is cancelled; ``report`` is given why
        it waits at each look (the caller decides how often to print it)."""
        while True:
            with self._cond:
                if ticket.granted:
                    return Outcome.GRANTED
                if cancellation is not None and cancellation.cancelled:
                    return Outcome.CANCELLED
                if self._clock.monotonic() >= deadline:
                    return Outcome.TIMED_OUT
                line = self._why(ticket, where)
                drive = not self._driving
                if drive:
                    self._driving = True
                else:
                    self._cond.wait(_NAP_SECONDS)
            report(line)
            if drive:
                try:
                    self._drive(deadline, describe, poll_interval_seconds, cancellation, jitter)
                finally:
                    with self._cond:
                        self._driving = False
                        self._cond.notify_all()

    def started(self, ticket: Ticket, job: Job, describe: DescribeJobs, poll_interval_seconds: float) -> None:
        """The granted ``ticket`` started ``job``: it counts until a tick shows it COMPLETED."""
        key = self._poller.watch(job.job_id, poll_interval_seconds, 0.0, describe)
        with self._cond:
            self._reserved.pop(ticket, None)
            known = self._active.get(job.job_id)  # listed already, after a refusal elsewhere in this process
            self._active[job.job_id] = _Counted(max(ticket.servers, len(job.servers)), own=True, key=key, job=job)
            self._backoff = 0.0
            if not any(not c.own for c in self._active.values()):
                self._contended = False
            self._cond.notify_all()
        if known is not None:
            self._poller.unwatch(known.key)

    def withdraw(self, ticket: Ticket) -> None:
        """``ticket`` leaves without starting a job (nothing left to launch, an error, a timeout, a cancel)."""
        with self._cond:
            if ticket in self._queue:
                self._queue.remove(ticket)
            self._reserved.pop(ticket, None)
            self._grant()
            self._cond.notify_all()

    def refused(
        self, ticket: Ticket, refusal: QuotaExceededError, list_active: ListActiveJobs, describe: DescribeJobs,
        poll_interval_seconds: float,
    ) -> None:
        """MGN refused ``ticket``'s launch at a quota: back to its place in the queue, ahead of every launch that came
        in after it, and learn what holds the account (its active jobs, listed now) so the wait ends when one of them
        ends."""
        with self._cond:
            self._reserved.pop(ticket, None)
            ticket.granted, ticket.delay, ticket.refusal = False, 0.0, refusal
            place = next((n for n, queued in enumerate(self._queue) if queued.arrival > ticket.arrival), None)
            self._queue.insert(len(self._queue) if place is None else place, ticket)
            self._blocked = True
            self._contended = True
            own_active = sum(c.own for c in self._active.values())
        try:
            listed = list(list_active(iso8601(self._clock.now() - ACTIVE_JOBS_WINDOW)))
        except MgnCutoverError:
            listed = []  # nothing learned: the fallback pause decides when to try again
        watches = {
            job.job_id: self._poller.watch(job.job_id, poll_interval_seconds, job_age(job, self._clock), describe)
            for job in listed
        }
        unneeded: list[int] = []
        with self._cond:
            for job in listed:
                if job.job_id in self._active:
                    unneeded.append(watches[job.job_id])
                else:
                    self._active[job.job_id] = _Counted(
                        len(job.servers), own=False, key=watches[job.job_id], job=job
                    )
            self._learn(refusal.quota_code, listed, own_active, ticket.servers)
            self._cond.notify_all()
        for key in unneeded:
            self._poller.unwatch(key)

    # ---- inside ------------------------------------------------------------------------------------
    def _in_use(self) -> tuple[int, int]:
        jobs = len(self._active) + len(self._reserved)
        servers = sum(c.servers for c in self._active.values()) + sum(self._reserved.values())
        return jobs, servers

    def _fits(self, ticket: Ticket) -> bool:
        jobs, servers = self._in_use()
        if jobs == 0:
            return True  # whatever the limits say, one launch alone always gets to ask MGN
        return jobs < self._jobs_limit and servers + ticket.servers <= self._servers_limit

    def _grant(self, delay: float = 0.0) -> None:
        """Grant from the head of the queue while the head fits (strictly in order: a big launch is not overtaken)."""
        if self._blocked:
            return
        granted = False
        while self._queue and self._fits(self._queue[0]):
            ticket = self._queue.popleft()
            ticket.granted, ticket.delay = True, delay
            self._reserved[ticket] = ticket.servers
            granted = True
        if granted:
            self._cond.notify_all()

    def _on_tick(self, jobs: Mapping[str, Job | MgnCutoverError]) -> None:
        ended: list[int] = []
        with self._cond:
            for job_id, counted in list(self._active.items()):
                answer = jobs.get(job_id)
                if isinstance(answer, Job) and answer.status is JobStatus.COMPLETED:
                    del self._active[job_id]
                    ended.append(counted.key)
            if ended:
                self._end_block()
        for key in ended:
            self._poller.unwatch(key)

    def _end_block(self) -> None:
        self._blocked = False
        self._backoff = 0.0
        self._grant(CONTENDED_JITTER_SECONDS * self._jitter() if self._contended else 0.0)

    def _learn(self, quota_code: str, listed: Sequence[Job], own_active: int, servers: int) -> None:
        """MGN is the arbiter: a refusal below the limits counted here means MGN's limit is lower (a listing that shows
        more than the limit raises it back, up to the documented quota)."""
        if not listed:
            return
        count = max(len(listed), own_active)
        if quota_code == CONCURRENT_JOBS and count < self._jobs_limit:
            self._jobs_limit = max(1, count)
        elif count > self._jobs_limit:
            self._jobs_limit = min(count, self._quotas.concurrent_jobs)
        busy = sum(len(job.servers) for job in listed)
        if quota_code == ACTIVE_SOURCE_SERVERS and busy + servers <= self._servers_limit:
            self._servers_limit = max(1, busy + servers - 1)

    def _drive(
        self,
        deadline: float,
        describe: DescribeJobs,
        poll_interval_seconds: float,
        cancellation: Cancellation | None,
        jitter: Callable[[], float],
    ) -> None:
        """One step for the whole queue: the next tick of the shared poller over the counted jobs, or, blocked with no
        job to watch, the fallback pause."""
        with self._cond:
            job_id = next(iter(self._active), None)
            age = max((job_age(c.job, self._clock) for c in self._active.values()), default=0.0)
            if self._blocked and job_id is None:
                first = min(FALLBACK_FIRST_SECONDS, poll_interval_seconds)
                self._backoff = min(self._backoff * 2 if self._backoff else first, FALLBACK_MAX_SECONDS)
                pause = self._backoff * (1 - FALLBACK_JITTER_FRACTION * jitter())
            elif job_id is None:  # nothing counted and not blocked: the slots are reserved by launches starting now
                self._grant()
                self._cond.wait(_NAP_SECONDS)
                return
        if job_id is None:
            self._clock.sleep(min(pause, max(deadline - self._clock.monotonic(), 0.0)), cancellation)
            with self._cond:
                if self._blocked and not self._active:
                    self._blocked = False
                    self._grant()
            return
        tick = min(poll_interval_seconds, queued_tick(age))
        key = self._poller.watch(job_id, tick, age, describe, cancellation)
        try:
            self._poller.next_tick(key, deadline)
        finally:
            self._poller.unwatch(key)

    def _why(self, ticket: Ticket, where: str) -> str:
        jobs, servers = self._in_use()
        if self._blocked:  # MGN said the account is full; launches granted before that are about to hear it too
            jobs = max(len(self._active), self._jobs_limit)
        ahead = next((n for n, t in enumerate(self._queue) if t is ticket), 0)
        queued = f"; {ahead} wave{'' if ahead == 1 else 's'} queued ahead" if ahead else ""
        if not self._blocked and jobs < self._jobs_limit:
            return (
                f"Waiting for room for {ticket.servers} server{'' if ticket.servers == 1 else 's'} in MGN's active "
                f"jobs ({servers} of {self._servers_limit} servers in use in {where}){queued}."
            )
        return f"Waiting for a free MGN job slot ({jobs} of {self._jobs_limit} in use in {where}){queued}."


_ADMISSIONS: weakref.WeakKeyDictionary[SharedJobPoller, Admission] = weakref.WeakKeyDictionary()
_ADMISSIONS_LOCK = threading.Lock()


def admission_for(poller: SharedJobPoller) -> Admission:
    """The admission of ``poller``'s endpoint and account: one per shared poller, so one per process and account."""
    with _ADMISSIONS_LOCK:
        admission = _ADMISSIONS.get(poller)
        if admission is None:
            admission = _ADMISSIONS[poller] = Admission(poller)
        return admission
