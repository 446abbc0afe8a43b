"""Admission at MGN's quotas: a launch waits for a free job slot in arrival order and starts in the tick that sees a
job end; a refusal from another runner is learned from; two runners racing never launch a server twice.

The emulator's quotas are set small; where the timing is the point, the emulator and the engine share a
``ManualClock``, so a 30 s job takes milliseconds and the wake-up is measured exactly on MGN's own timestamps.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from mgn_resources.aws import Connection, Job, LaunchKind, MgnApi, build_client
from mgn_resources.aws.quotas import Quotas
from mgn_resources.clock import SYSTEM_CLOCK, Cancellation, Clock, parse_iso8601
from mgn_resources.engine import LaunchEngine, LaunchResult, SharedJobPoller
from mgn_resources.engine.admission import Admission
from mgn_resources.errors import JobTimeoutError, QuotaExceededError, UpdateCancelledError
from mgn_resources.lifecycle.translate import launch_spec
from tests.harness.emulator import ManualClock, jobs_by_server, make_seed, server_id
from tests.harness.emulator import mgn_client as plain_client
from tests.test_engine.conftest import FAST_RETRIES, RecordingProgress

SLOT_LINE = "Waiting for a free MGN job slot"


class CountingApi(MgnApi):
    """The engine's MGN, counting the launches MGN refused at a quota."""

    def __init__(self, client: Any) -> None:
        super().__init__(client)
        self.refused = 0
        self._lock = threading.Lock()

    def start_launch(self, kind: LaunchKind, source_server_ids: Sequence[str], tags: Mapping[str, str]) -> Job:
        try:
            return super().start_launch(kind, source_server_ids, tags)
        except QuotaExceededError:
            with self._lock:
                self.refused += 1
            raise


class GatedClock(ManualClock):
    """A manual clock that does not move until the test opens the gate (so a second launch can queue first)."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()

    def sleep(self, seconds: float, cancellation: object = None) -> None:
        self.gate.wait(10)
        super().sleep(seconds, cancellation)


@dataclass
class Runner:
    """One provider process: one shared poller (so one admission) and one MGN client for every launch in it."""

    emu: EmulatorServer
    clock: Clock
    api: CountingApi = field(init=False)
    poller: SharedJobPoller = field(init=False)
    admission: Admission = field(init=False)

    def __post_init__(self) -> None:
        self.api = CountingApi(build_client(Connection(region="us-east-1", endpoint_url=self.emu.url),
                                            config=FAST_RETRIES))
        self.poller = SharedJobPoller(self.clock)
        quotas = self.emu.backend.quotas  # the library told the account's quotas, as it knows MGN's documented ones
        self.admission = Admission(self.poller, Quotas(quotas.concurrent_jobs, quotas.active_source_servers))

    def engine(self, progress: RecordingProgress, cancellation: Cancellation | None = None) -> LaunchEngine:
        return LaunchEngine(self.api, self.poller, self.clock, progress, "us-east-1", jitter=lambda: 0.0,
                            cancellation=cancellation, admission=self.admission)

    def launch(self, *servers: int, progress: RecordingProgress | None = None, poll: float = 60.0,
               timeout: float = 600.0, cancellation: Cancellation | None = None) -> LaunchResult:
        inputs = {"source_server_ids": [server_id(n) for n in servers], "poll_interval_seconds": poll,
                  "timeout_seconds": timeout}
        engine = self.engine(progress or RecordingProgress(), cancellation)
        return engine.launch(launch_spec(LaunchKind.CUTOVER, inputs))


@pytest.fixture
def emulator() -> Iterator[Callable[..., EmulatorServer]]:
    started: list[EmulatorServer] = []

    def make(servers: int, jobs: int, *, launch_seconds: float, clock: Clock = SYSTEM_CLOCK,
             active_servers: int = 200) -> EmulatorServer:
        emu = EmulatorServer(seed=make_seed(range(1, servers + 1)), launch_seconds=launch_seconds,
                             post_launch_seconds=0.0, clock=clock, max_concurrent_jobs=jobs,
                             max_active_source_servers=active_servers).start()
        started.append(emu)
        return emu

    yield make
    for emu in started:
        emu.stop()


def started_servers(emu: EmulatorServer) -> list[str]:
    """The server of each one-server job, in the order the jobs were created."""
    jobs = sorted(plain_client(emu.url).describe_jobs(filters={})["items"], key=lambda j: j["creationDateTime"])
    return [j["participatingServers"][0]["sourceServerID"] for j in jobs]


def in_thread(run: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    results: list[Any] = []
    thread = threading.Thread(target=lambda: results.append(run()), daemon=True)
    thread.start()
    return thread, results


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 10.0) -> None:
    give_up = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < give_up, f"never saw {what}"
        time.sleep(0.005)


def waiting(progress: RecordingProgress) -> bool:
    """The launch waits for room: queued for a slot (or, without admission, refused by MGN)."""
    return any(SLOT_LINE in m or "refused" in m for m in progress.infos)


def test_waves_start_in_the_order_they_queued_with_no_refused_launch(emulator) -> None:  # type: ignore[no-untyped-def]
    emu = emulator(4, jobs=1, launch_seconds=0.4)
    runner = Runner(emu, SYSTEM_CLOCK)
    progress = {n: RecordingProgress() for n in range(1, 5)}
    threads = []
    for n in range(1, 5):  # each queues behind the one before
        threads.append(in_thread(lambda n=n: runner.launch(n, progress=progress[n], poll=0.5))[0])
        if n > 1:
            wait_for(lambda n=n: waiting(progress[n]), f"wave {n} queued")
        else:
            wait_for(lambda: emu.call_count("StartCutover") == 1, "the first job")
    for thread in threads:
        thread.join(30)

    assert started_servers(emu) == [server_id(n) for n in range(1, 5)]
    assert runner.api.refused == 0
    assert emu.call_count("StartCutover") == 4
    assert f"{SLOT_LINE} (1 of 1 in use in us-east-1); 2 waves queued ahead." in progress[4].infos


class LateSurveyApi(CountingApi):
    """MGN whose DescribeSourceServers (a launch's survey) answers half a second late for the servers in ``late``;
    ``surveying`` is set when such a survey begins."""

    def __init__(self, client: Any, late: Sequence[str]) -> None:
        super().__init__(client)
        self.late = set(late)
        self.surveying = threading.Event()

    def describe_source_servers(self, source_server_ids: Sequence[str]) -> dict[str, Any]:
        if self.late & set(source_server_ids):
            self.surveying.set()
            time.sleep(0.5)
        return super().describe_source_servers(source_server_ids)


class RefusalsInTurnApi(CountingApi):
    """MGN that takes the StartCutover of ``first`` once ``then``'s has begun, and ``then``'s 0.3 s later: both
    launches are on their way at once, and ``first``'s answer comes back first (``first_begun``: its call began)."""

    def __init__(self, client: Any, first: str, then: str) -> None:
        super().__init__(client)
        self.first, self.then = first, then
        self.first_begun, self._then_begun = threading.Event(), threading.Event()

    def start_launch(self, kind: LaunchKind, source_server_ids: Sequence[str], tags: Mapping[str, str]) -> Job:
        if self.first in source_server_ids:
            self.first_begun.set()
            self._then_begun.wait(10)
        elif self.then in source_server_ids:
            self._then_begun.set()
            time.sleep(0.3)
        return super().start_launch(kind, source_server_ids, tags)


def test_a_wave_keeps_the_place_it_came_in_at_while_it_surveys_its_servers(emulator) -> None:  # type: ignore[no-untyped-def]
    """First come, first served from the moment a launch comes in: a wave whose survey of its servers answers late
    is not overtaken by one that came in after it."""
    emu = emulator(3, jobs=1, launch_seconds=0.6)
    runner = Runner(emu, SYSTEM_CLOCK)
    api = runner.api = LateSurveyApi(runner.api._client, late=[server_id(2)])
    first, _ = in_thread(lambda: runner.launch(1, poll=0.5))
    wait_for(lambda: emu.call_count("StartCutover") == 1, "the first job")
    late, _ = in_thread(lambda: runner.launch(2, poll=0.5))
    wait_for(api.surveying.is_set, "wave 2 surveying its server")
    fast, _ = in_thread(lambda: runner.launch(3, poll=0.5))
    for thread in (first, late, fast):
        thread.join(30)

    assert started_servers(emu) == [server_id(n) for n in (1, 2, 3)]
    assert runner.api.refused == 0


def test_launches_refused_together_go_back_in_the_order_they_came_in(emulator) -> None:  # type: ignore[no-untyped-def]
    """MGN's quota (1) is below the one this process believes (3): three waves come in one after the other and are
    granted at once; waves 2 and 3 are refused, wave 3's refusal heard last, and they start after wave 1 in the order
    they came in (a refused wave goes back to its place, not to the head of the queue)."""
    emu = emulator(3, jobs=1, launch_seconds=1.5)
    runner = Runner(emu, SYSTEM_CLOCK)
    api = runner.api = RefusalsInTurnApi(runner.api._client, first=server_id(2), then=server_id(3))
    runner.admission = Admission(runner.poller, Quotas(3, 200), jitter=lambda: 0.0)
    progress = {n: RecordingProgress() for n in (1, 2, 3)}
    threads = []
    for n in (1, 2, 3):
        threads.append(in_thread(lambda n=n: runner.launch(n, progress=progress[n], poll=0.5))[0])
        if n == 1:
            wait_for(lambda: emu.call_count("StartCutover") == 1, "the first job")
        elif n == 2:
            wait_for(api.first_begun.is_set, "wave 2 on its way to MGN")
    for thread in threads:
        thread.join(30)

    refusals = [c.body["sourceServerIDs"] for c in emu.calls() if c.operation == "StartCutover" and c.status == 409]
    assert refusals == [[server_id(2)], [server_id(3)]]
    assert started_servers(emu) == [server_id(n) for n in (1, 2, 3)]
    slot_lines = {m for n in (2, 3) for m in progress[n].infos if SLOT_LINE in m}
    # While wave 3's launch was still on its way to its refusal, the slot in use was wave 1's alone.
    assert slot_lines and all(f"{SLOT_LINE} (1 of 1 in use in us-east-1)" in m for m in slot_lines), slot_lines


def test_a_launch_holds_room_only_for_the_servers_it_launches(emulator) -> None:  # type: ignore[no-untyped-def]
    """Room for 3 servers in active jobs: a wave of servers 1 and 2, whose server 1 is launched already, starts a job
    of server 2 alone and holds room for it alone, so a wave of 2 more servers starts beside it at once."""
    emu = emulator(4, jobs=20, launch_seconds=1.0, active_servers=3)
    runner = Runner(emu, SYSTEM_CLOCK)
    runner.launch(1, poll=0.5)
    partial, _ = in_thread(lambda: runner.launch(1, 2, poll=0.5))
    wait_for(lambda: emu.call_count("StartCutover") == 2, "the job of server 2")
    runner.launch(3, 4, poll=0.5)
    partial.join(30)

    by_server = jobs_by_server(emu.url)
    partial_ends = parse_iso8601(by_server[server_id(2)][0]["endDateTime"])
    assert parse_iso8601(by_server[server_id(3)][0]["creationDateTime"]) < partial_ends  # side by side
    assert len(by_server[server_id(1)]) == 1 and runner.api.refused == 0


def test_a_queued_wave_starts_in_the_tick_that_sees_the_slot_free(emulator) -> None:  # type: ignore[no-untyped-def]
    clock = GatedClock()
    emu = emulator(2, jobs=1, launch_seconds=30.0, clock=clock)
    runner = Runner(emu, clock)
    second = RecordingProgress()
    first_thread, _ = in_thread(lambda: runner.launch(1))
    wait_for(lambda: emu.call_count("StartCutover") == 1, "the first job")
    second_thread, results = in_thread(lambda: runner.launch(2, progress=second))
    wait_for(lambda: waiting(second), "the second wave queued")
    clock.gate.set()  # now let time pass: the first job runs its 30 s
    first_thread.join(30)
    second_thread.join(30)

    assert results and results[0].job.status.value == "COMPLETED"
    by_server = jobs_by_server(emu.url)
    ended = parse_iso8601(by_server[server_id(1)][0]["endDateTime"])
    started = parse_iso8601(by_server[server_id(2)][0]["creationDateTime"])
    assert 0 <= (started - ended).total_seconds() <= 1.0  # one poll tick (1 s at this age), not a backoff
    assert runner.api.refused == 0 and emu.call_count("StartCutover") == 2


def test_the_queue_looks_for_a_slot_more_seldom_as_the_jobs_holding_them_age(  # type: ignore[no-untyped-def]
    emulator,
) -> None:
    """Every 1% of the oldest job's age, from 0.25 s to 5 s: a 10-minute job is watched about 420 times while a wave
    queues behind it (a fixed half-second tick would make 1200 calls), and its end is still seen within 5 s."""
    clock = GatedClock()
    emu = emulator(2, jobs=1, launch_seconds=600.0, clock=clock)
    runner = Runner(emu, clock)
    second = RecordingProgress()
    first_thread, _ = in_thread(lambda: runner.launch(1, poll=60.0, timeout=3600.0))
    wait_for(lambda: emu.call_count("StartCutover") == 1, "the first job")
    second_thread, _ = in_thread(lambda: runner.launch(2, progress=second, poll=60.0, timeout=3600.0))
    wait_for(lambda: waiting(second), "the second wave queued")
    clock.gate.set()
    first_thread.join(30)
    second_thread.join(30)

    by_server = jobs_by_server(emu.url)
    first_created = parse_iso8601(by_server[server_id(1)][0]["creationDateTime"])
    ended = parse_iso8601(by_server[server_id(1)][0]["endDateTime"])
    started = parse_iso8601(by_server[server_id(2)][0]["creationDateTime"])
    assert 0 <= (started - ended).total_seconds() <= 5.0
    polls = [(c.time - first_created).total_seconds() for c in emu.calls() if c.operation == "DescribeJobs"]
    while_queued = [t for t in polls if t < 600.0]
    assert len(while_queued) < 450
    gaps = [b - a for a, b in zip(while_queued, while_queued[1:])]
    assert min(gaps[:5]) <= 0.3  # a young job: a quarter second
    assert max(gaps) <= 5.0 + 1e-6 and gaps[-1] >= 4.0  # an old one: 5 s


def test_a_refusal_from_another_runner_is_learned_from(emulator) -> None:  # type: ignore[no-untyped-def]
    clock = ManualClock()
    emu = emulator(2, jobs=1, launch_seconds=30.0, clock=clock)
    other = plain_client(emu.url).start_cutover(sourceServerIDs=[server_id(1)])["job"]  # not this process's job
    runner = Runner(emu, clock)
    progress = RecordingProgress()

    result = runner.launch(2, progress=progress)

    assert result.job.status.value == "COMPLETED"
    assert runner.api.refused == 1  # refused once, then it waited for the job it learned of
    listings = [c for c in emu.calls() if c.operation == "DescribeJobs" and "fromDate" in c.body.get("filters", {})]
    assert len(listings) == 1
    ended = parse_iso8601(plain_client(emu.url).describe_jobs(filters={"jobIDs": [other["jobID"]]})["items"][0][
        "endDateTime"])
    assert 0 <= (parse_iso8601(result.job.creation_time) - ended).total_seconds() <= 2.0  # a tick and the jitter
    assert any("concurrent jobs" in m and "active jobs to end" in m for m in progress.infos)


def test_two_runners_racing_for_the_same_servers_never_launch_one_twice(  # type: ignore[no-untyped-def]
    emulator,
) -> None:
    emu = emulator(6, jobs=2, launch_seconds=1.0)
    runners = [Runner(emu, SYSTEM_CLOCK), Runner(emu, SYSTEM_CLOCK)]  # two processes: two admissions
    started = time.monotonic()
    threads = [in_thread(lambda r=r, n=n: runner_launch(r, n)) for r in runners for n in range(1, 7)]
    for thread, _ in threads:
        thread.join(60)
    elapsed = time.monotonic() - started

    results: list[LaunchResult] = [result for _, out in threads for result in out]
    assert len(results) == 12 and all(r.launches[0].state.value == "LAUNCHED" for r in results)
    by_server = jobs_by_server(emu.url)
    assert {sid: len(jobs) for sid, jobs in by_server.items()} == {server_id(n): 1 for n in range(1, 7)}
    assert sum(r.api.refused for r in runners) <= 6  # at most about one refusal per slot freed, never a storm
    assert elapsed <= 3 * 1.0 * 2 + 2  # 3 rounds of 1 s jobs, with room for polls and the jitter


def quietly(run: Callable[[], Any]) -> Any:
    try:
        return run()
    except JobTimeoutError as exc:  # the job that never completes, waited for in a thread
        return exc


def runner_launch(runner: Runner, n: int) -> LaunchResult:
    return runner.launch(n, poll=0.5, timeout=60)


def test_the_wait_for_a_slot_ends_at_the_deadline_and_at_a_cancel(emulator) -> None:  # type: ignore[no-untyped-def]
    clock = ManualClock()
    emu = emulator(3, jobs=1, launch_seconds=30.0, clock=clock)
    emu.set_faults(never_complete=True)
    runner = Runner(emu, clock)
    first_thread, _ = in_thread(lambda: quietly(lambda: runner.launch(1, timeout=7200)))
    wait_for(lambda: emu.call_count("StartCutover") == 1, "the first job")

    progress = RecordingProgress()
    with pytest.raises(JobTimeoutError, match="never started.*Still no free MGN job slot after timeout_seconds=120"):
        runner.launch(2, progress=progress, timeout=120)
    assert f"{SLOT_LINE} (1 of 1 in use in us-east-1)." in progress.infos

    cancellation = Cancellation()

    class CancelsWhenQueued(RecordingProgress):
        def info(self, message: str) -> None:
            super().info(message)
            if SLOT_LINE in message:
                cancellation.cancel()

    with pytest.raises(UpdateCancelledError, match="was not started"):
        runner.launch(3, progress=CancelsWhenQueued(), cancellation=cancellation)
    assert emu.call_count("StartCutover") == 1 and runner.api.refused == 0
    assert server_id(3) not in jobs_by_server(emu.url)
    first_thread.join(30)
