"""Heartbeat lines while a job runs: each server's launch status, and what the job log last said about it.

A wait prints a summary line when the job's summary changes; a job whose summary does not change for a while
(60 s of converting, say) would show nothing. So when ``HEARTBEAT_SECONDS`` have passed on the wait's clock since the
last line the wait printed for the job, the next poll tick's job is reported again with its servers, and the job log
(DescribeJobLogItems) is read then, never on every tick, for a short phrase on each server still on its way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from ..aws.shapes import Job, JobLogItem, LaunchStatus
from ..clock import Clock
from ..errors import MgnCutoverError
from .types import Progress

#: The longest a wait stays silent about a running job: a heartbeat line is due this long after its last line.
HEARTBEAT_SECONDS = 30.0

#: A phrase for each of MGN's ``JobLogEvent`` values; an event not listed shows as its name in lower case.
EVENT_PHRASES: dict[str, str] = {
    "JOB_START": "job started",
    "SERVER_SKIPPED": "skipped",
    "SNAPSHOT_START": "taking a snapshot",
    "SNAPSHOT_END": "snapshot taken",
    "SNAPSHOT_FAIL": "snapshot failed",
    "USING_PREVIOUS_SNAPSHOT": "using the previous snapshot",
    "CONVERSION_START": "converting",
    "CONVERSION_END": "converted",
    "CONVERSION_FAIL": "conversion failed",
    "LAUNCH_START": "launching",
    "LAUNCH_FAILED": "launch failed",
    "CLEANUP_START": "cleaning up",
    "CLEANUP_END": "cleaned up",
    "CLEANUP_FAIL": "cleanup failed",
    "JOB_CANCEL": "job cancelled",
    "JOB_END": "job ended",
}

# The servers a heartbeat gives a phrase: those still on their way. (MGN logs no event when a launch succeeds, so a
# LAUNCHED server's latest event may still be LAUNCH_START: "LAUNCHED (launching)" would contradict itself.)
_UNDER_WAY = (LaunchStatus.PENDING, LaunchStatus.IN_PROGRESS)

ReadJobLog = Callable[[str], Sequence[JobLogItem]]


def event_phrase(event: str) -> str:
    return EVENT_PHRASES.get(event, event.lower())


def latest_events(items: Sequence[JobLogItem]) -> dict[str, str]:
    """Each server's latest event in a job log, by ``logDateTime`` (of two at the same time, the one listed later)."""
    latest: dict[str, tuple[datetime | None, str]] = {}
    for item in items:
        if not item.source_server_id:
            continue  # a job-wide event (JOB_START, JOB_END)
        moment = _moment(item.time)
        seen = latest.get(item.source_server_id)
        if seen is None or seen[0] is None or moment is None or moment >= seen[0]:
            latest[item.source_server_id] = (moment, item.event)
    return {sid: event for sid, (_, event) in latest.items()}


def heartbeat_line(job: Job, summary: str, events: dict[str, str]) -> str:
    """``summary`` (the wait's summary line of ``job``) with each server's launch status, and for a server still
    PENDING or IN_PROGRESS the phrase of its latest event in ``events`` when there is one."""
    parts = []
    for server in job.servers:
        part = f"{server.source_server_id}: {server.launch_status.value}"
        event = events.get(server.source_server_id)
        if event and server.launch_status in _UNDER_WAY:
            part += f" ({event_phrase(event)})"
        parts.append(part)
    if not parts:
        return summary
    return f"{summary.removesuffix('.')}; {', '.join(parts)}."


class JobHeartbeat:
    """One wait's heartbeat for one job: a line at the last tick before ``HEARTBEAT_SECONDS`` pass since the wait's
    last line.

    The wait calls ``printed`` after each line it prints itself (a changed summary) and ``tick`` with the job of
    each tick it goes on waiting after. The job log is read only for a line that is due and has a server to give a
    phrase, so at most once per ``HEARTBEAT_SECONDS``; a failed read gives the line without phrases, and one warning
    per wait.
    """

    def __init__(
        self,
        job_id: str,
        read_log: ReadJobLog,
        clock: Clock,
        progress: Progress,
        *,
        next_tick_within: Callable[[], float] = lambda: 0.0,
    ) -> None:
        """``next_tick_within`` tells, at a tick, the longest until the next one (the wait's poll interval then): a
        line is printed at the last tick before ``HEARTBEAT_SECONDS`` would pass, so lines are never further apart."""
        self._job_id = job_id
        self._next_tick_within = next_tick_within
        self._read_log = read_log
        self._clock = clock
        self._progress = progress
        self._last_line_at = clock.monotonic()
        self._warned = False

    def printed(self) -> None:
        self._last_line_at = self._clock.monotonic()

    def tick(self, job: Job, summary: str) -> None:
        if self._clock.monotonic() - self._last_line_at + self._next_tick_within() <= HEARTBEAT_SECONDS:
            return
        events = self._events() if any(s.launch_status in _UNDER_WAY for s in job.servers) else {}
        self._progress.info(heartbeat_line(job, summary, events))
        self.printed()

    def _events(self) -> dict[str, str]:
        try:
            items = self._read_log(self._job_id)
        except MgnCutoverError as exc:
            if not self._warned:
                self._warned = True
                self._progress.warn(
                    f"Could not read the log of job {self._job_id} ({exc}); progress lines go on without each "
                    "server's step."
                )
            return {}
        return latest_events(items)


def _moment(text: str) -> datetime | None:
    """A ``logDateTime`` as a moment (UTC when it names no zone), None when absent or unreadable."""
    try:
        moment = datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment
