"""Heartbeat lines while a job runs: every 30 s on the injected clock, each server's status and its latest job-log
step, the job log read only for a line that is due. A scripted MGN on loopback (real boto3 client, real adapter)
answers from the fake clock's time: DescribeJobs and DescribeJobLogItems as a job would go."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

from mgn_resources.aws import Job
from mgn_resources.aws.botodata import service_model
from mgn_resources.aws.shapes import JobLogItem
from mgn_resources.clock import iso8601
from mgn_resources.engine import SharedJobPoller, job_progress, poll_interval
from mgn_resources.engine.job_progress import EVENT_PHRASES, HEARTBEAT_SECONDS, latest_events
from mgn_resources.engine.waiting import JobWaiter, WaitPlan
from tests.harness.canned import CannedMgn, Reply, error, reply
from tests.harness.emulator import ManualClock

JOB_ID = "mgnjob-0a1b2c3d4e5f6a7b8"
CEILING = 15.0  # the default poll_interval_seconds: ticks 1 s apart at first, then 5% of the time since the start


@dataclass(frozen=True)
class Server:
    sid: str
    events: tuple[tuple[float, str], ...]  # (seconds since the start, JobLogEvent)
    in_progress_at: float
    launched_at: float


# A 95 s cutover of three servers whose launch statuses move but whose summary ("0 of 3 launched") stays the same
# until the job completes at 95 s: without heartbeats, nothing would be printed between 0 s and 95 s.
SERVERS = (
    Server(
        "s-1",
        (
            (0, "SNAPSHOT_START"),
            (5, "SNAPSHOT_END"),
            (5, "CONVERSION_START"),
            (45, "CONVERSION_END"),
            (45, "LAUNCH_START"),
        ),
        in_progress_at=5,
        launched_at=95,
    ),
    Server(
        "s-2",
        (
            (0, "SNAPSHOT_START"),
            (40, "SNAPSHOT_END"),
            (40, "CONVERSION_START"),
            (75, "CONVERSION_END"),
            (75, "LAUNCH_START"),
        ),
        in_progress_at=40,
        launched_at=95,
    ),
    Server(
        "s-3",
        ((0, "USING_PREVIOUS_SNAPSHOT"), (50, "CONVERSION_START"), (70, "DISK_WARMUP_START")),
        in_progress_at=50,
        launched_at=95,
    ),
)


class ScriptedJob(dict[str, Reply]):
    """``CannedMgn``'s replies, computed at each request from the fake clock; records when each operation came."""

    def __init__(self, clock: ManualClock, servers: tuple[Server, ...], completes_at: float) -> None:
        super().__init__()
        self.clock = clock
        self.start = clock.now()
        self.servers = servers
        self.completes_at = completes_at
        self.log_fails = False
        self.times: dict[str, list[float]] = {}

    def get(self, operation: str, default: Any = None) -> Any:
        t = self.clock.monotonic()
        self.times.setdefault(operation, []).append(t)
        if operation == "DescribeJobs":
            return reply({"items": [self._job(t)]})
        if operation == "DescribeJobLogItems":
            if self.log_fails:
                return error("AccessDeniedException", 403, message="not allowed: mgn:DescribeJobLogItems")
            return reply({"items": self._log(t)})
        return default

    def _at(self, seconds: float) -> str:
        return iso8601(self.start + timedelta(seconds=seconds))

    def _job(self, t: float) -> dict[str, Any]:
        def status(s: Server) -> str:
            return "LAUNCHED" if t >= s.launched_at else "IN_PROGRESS" if t >= s.in_progress_at else "PENDING"

        return {
            "jobID": JOB_ID,
            "arn": f"arn:aws:mgn:us-east-1:111122223333:job/{JOB_ID}",
            "type": "LAUNCH",
            "initiatedBy": "START_CUTOVER",
            "status": "COMPLETED" if t >= self.completes_at else "STARTED",
            "creationDateTime": self._at(0),
            "participatingServers": [{"sourceServerID": s.sid, "launchStatus": status(s)} for s in self.servers],
        }

    def _log(self, t: float) -> list[dict[str, Any]]:
        entries = [(0.0, "JOB_START", "")] + [(at, event, s.sid) for s in self.servers for at, event in s.events]
        return [
            {"logDateTime": self._at(at), "event": event, **({"eventData": {"sourceServerID": sid}} if sid else {})}
            for at, event, sid in sorted(entries, key=lambda e: e[0])
            if at <= t
        ]


@dataclass
class TimedProgress:
    clock: ManualClock
    infos: list[tuple[float, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def info(self, message: str) -> None:
        self.infos.append((self.clock.monotonic(), message))

    def warn(self, message: str) -> None:
        self.warnings.append(message)


@dataclass
class Run:
    script: ScriptedJob
    progress: TimedProgress
    job: Job

    def lines(self) -> list[tuple[float, str]]:
        return self.progress.infos

    def heartbeats(self) -> list[tuple[float, str]]:
        return [(t, line) for t, line in self.progress.infos if "; s-1: " in line]


@pytest.fixture
def canned() -> Iterator[CannedMgn]:
    with CannedMgn({}) as mgn:
        yield mgn


def wait_for_job(
    canned: CannedMgn, servers: tuple[Server, ...] = SERVERS, completes_at: float = 95.0, *, log_fails: bool = False
) -> Run:
    clock = ManualClock(monotonic_start=0.0)
    script = ScriptedJob(clock, servers, completes_at)
    script.log_fails = log_fails
    canned.replies = script
    progress = TimedProgress(clock)
    plan = WaitPlan(
        job_id=JOB_ID,
        noun="cutover",
        deadline=600.0,
        timeout_seconds=600.0,
        poll_interval_seconds=CEILING,
        wait_for_post_launch_actions=False,
    )
    job = JobWaiter(canned.api(), SharedJobPoller(clock), clock, progress).wait(plan, None)
    return Run(script, progress, job)


CALL_LATENCY = 1.0  # a line is timed when printed, after that tick's calls (the fake clock moves during them)


def due_by(last: float) -> tuple[float, float]:
    """When a heartbeat after a line at ``last`` may come: at the last tick before 30 s pass, so no earlier than one
    poll interval before that, and never later."""
    due = last + HEARTBEAT_SECONDS
    return due - poll_interval(CEILING, due), due + CALL_LATENCY


def test_a_95_second_job_prints_a_heartbeat_about_every_30_seconds_with_each_servers_step(canned: CannedMgn) -> None:
    run = wait_for_job(canned)

    summary = f"Cutover job {JOB_ID} STARTED: 0 of 3 launched"
    assert [line for _, line in run.lines()] == [
        f"{summary}.",
        f"{summary}; s-1: IN_PROGRESS (converting), s-2: PENDING (taking a snapshot), "
        "s-3: PENDING (using the previous snapshot).",
        f"{summary}; s-1: IN_PROGRESS (launching), s-2: IN_PROGRESS (converting), s-3: IN_PROGRESS (converting).",
        # An event this release has no phrase for is shown by its name, in lower case.
        f"{summary}; s-1: IN_PROGRESS (launching), s-2: IN_PROGRESS (launching), s-3: IN_PROGRESS (disk_warmup_start).",
        f"Cutover job {JOB_ID} COMPLETED: 3 of 3 launched.",
    ]
    times = [t for t, _ in run.lines()]
    assert times[0] == 0.0 and times[-1] >= 95.0
    for last, beat in zip(times[:3], times[1:4]):
        earliest, latest = due_by(last)
        assert earliest <= beat <= latest, (last, beat)
    assert all(t - times[k - 1] <= HEARTBEAT_SECONDS + CALL_LATENCY for k, t in enumerate(times[1:], 1)), times
    assert all(30 * k - 5 <= t <= 30 * k + CALL_LATENCY for k, t in enumerate(times[1:4], 1)), times  # ~30, 60, 90
    assert run.progress.warnings == []


def test_the_job_log_is_read_only_for_a_heartbeat_at_most_once_per_30_seconds(canned: CannedMgn) -> None:
    run = wait_for_job(canned)

    reads = run.script.times["DescribeJobLogItems"]
    assert reads == [t for t, _ in run.heartbeats()]  # one read for each heartbeat line, none on other ticks
    # at most one read per heartbeat, and the heartbeats are a whole poll interval short of 30 s apart at the least
    assert len(reads) == 3 and all(b - a >= HEARTBEAT_SECONDS - 5 for a, b in zip(reads, reads[1:]))
    assert len(run.script.times["DescribeJobs"]) > 30  # while the job was polled on every tick


def test_heartbeats_add_no_describe_jobs_call(canned: CannedMgn, monkeypatch: pytest.MonkeyPatch) -> None:
    with_heartbeats = wait_for_job(canned).script.times["DescribeJobs"]
    monkeypatch.setattr(job_progress, "HEARTBEAT_SECONDS", float("inf"))
    without = wait_for_job(canned)

    assert "DescribeJobLogItems" not in without.script.times and len(without.lines()) == 2
    assert with_heartbeats == without.script.times["DescribeJobs"]


def test_a_failing_job_log_read_gives_heartbeats_without_steps_and_one_warning(canned: CannedMgn) -> None:
    run = wait_for_job(canned, log_fails=True)

    summary = f"Cutover job {JOB_ID} STARTED: 0 of 3 launched"
    assert [line for _, line in run.heartbeats()] == [
        f"{summary}; s-1: IN_PROGRESS, s-2: PENDING, s-3: PENDING.",
        f"{summary}; s-1: IN_PROGRESS, s-2: IN_PROGRESS, s-3: IN_PROGRESS.",
        f"{summary}; s-1: IN_PROGRESS, s-2: IN_PROGRESS, s-3: IN_PROGRESS.",
    ]
    assert len(run.progress.warnings) == 1
    assert JOB_ID in run.progress.warnings[0] and "DescribeJobLogItems" in run.progress.warnings[0]
    reads = run.script.times["DescribeJobLogItems"]  # tried again for each heartbeat, never more often
    assert reads == [t for t, _ in run.heartbeats()]


def test_a_changed_summary_line_resets_the_heartbeat_timer(canned: CannedMgn) -> None:
    # s-1 launches at 45 s: its summary line is the job's line then, and the next heartbeat is due 30 s after it.
    first = Server("s-1", ((0, "SNAPSHOT_START"), (5, "CONVERSION_START"), (40, "LAUNCH_START")), 5, 45)
    run = wait_for_job(canned, (first, *SERVERS[1:]), completes_at=95.0)

    changed = [t for t, line in run.lines() if "1 of 3 launched." in line]
    assert len(changed) == 1
    beats = [(t, line) for t, line in run.heartbeats()]
    assert [t for t, _ in beats if t < changed[0]] and all(not 50 <= t < 70 for t, _ in beats)
    after = [t for t, _ in beats if t > changed[0]]
    earliest, latest = due_by(changed[0])
    assert after and earliest <= after[0] <= latest
    assert beats[-1][1] == (
        f"Cutover job {JOB_ID} STARTED: 1 of 3 launched; s-1: LAUNCHED, s-2: IN_PROGRESS (converting), "
        "s-3: IN_PROGRESS (disk_warmup_start)."
    )


def test_a_job_shorter_than_30_seconds_has_no_heartbeat_and_no_job_log_read(canned: CannedMgn) -> None:
    run = wait_for_job(
        canned, completes_at=25.0, servers=tuple(Server(s.sid, s.events, s.in_progress_at, 25.0) for s in SERVERS)
    )

    assert [line for _, line in run.lines()] == [
        f"Cutover job {JOB_ID} STARTED: 0 of 3 launched.",
        f"Cutover job {JOB_ID} COMPLETED: 3 of 3 launched.",
    ]
    assert "DescribeJobLogItems" not in run.script.times


def item(event: str, time: str, sid: str = "s-1") -> JobLogItem:
    return JobLogItem(event=event, time=time, source_server_id=sid, raw_error="")


def test_the_latest_event_of_each_server_is_by_log_time_not_by_order() -> None:
    items = [
        item("JOB_START", "2026-11-28T02:00:00Z", sid=""),
        item("CONVERSION_START", "2026-11-28T02:00:10.000+00:00"),
        item("SNAPSHOT_END", "2026-11-28T02:00:09Z"),  # listed later, logged earlier
        item("SNAPSHOT_START", "2026-11-28T02:00:01Z", sid="s-2"),
        item("SNAPSHOT_END", "2026-11-28T02:00:05Z", sid="s-2"),
        item("CONVERSION_START", "2026-11-28T02:00:05Z", sid="s-2"),  # same time: the one listed later
        item("JOB_END", "2026-11-28T02:01:00Z", sid=""),
    ]

    assert latest_events(items) == {"s-1": "CONVERSION_START", "s-2": "CONVERSION_START"}


def test_every_phrase_is_for_an_event_mgn_logs() -> None:
    events = set(service_model("mgn").shape_for("JobLogEvent").enum)  # type: ignore[attr-defined]
    assert set(EVENT_PHRASES) <= events
