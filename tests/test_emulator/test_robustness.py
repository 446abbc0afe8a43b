"""Launches are atomic, and the emulator stays up and consistent through a bounded barrage of hostile traffic."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from mgn_emulator.bounds import MAX_BODY_BYTES
from tests.harness.emulator import (
    Reply,
    admin_call,
    exchange,
    make_seed,
    mgn_client,
    port_of,
    request_bytes,
    server_id,
    signed,
)

SERVERS = 30
REQUESTS = 240  # the barrage: bounded in count ...
DEADLINE_SECONDS = 120  # ... and in time (it takes a few seconds)


def test_a_launch_that_fails_while_its_job_is_built_changes_nothing(emulator: EmulatorServer) -> None:
    made: list[int] = []
    original = emulator.backend._run_instance

    def second_one_fails(server: Any) -> str | None:
        made.append(1)
        if len(made) == 2:
            raise RuntimeError("simulated failure while building the job")
        return original(server)

    emulator.backend._run_instance = second_one_fails  # type: ignore[method-assign]
    client = mgn_client(emulator.url)
    with pytest.raises(client.exceptions.InternalServerException):
        client.start_cutover(sourceServerIDs=[server_id(1), server_id(2)])
    for server in client.describe_source_servers()["items"]:
        assert server["lifeCycle"]["state"] == "READY_FOR_CUTOVER"
        assert server["lifeCycle"]["lastCutover"] == {}
    assert client.describe_jobs()["items"] == []
    client.start_cutover(sourceServerIDs=[server_id(1), server_id(2)])  # nothing was left half-started


def test_a_fault_setting_that_would_break_launches_is_refused_and_launches_stay_whole(
    emulator: EmulatorServer,
) -> None:
    # Accepted before, this made StartCutover fail after moving the servers: CUTTING_OVER with no job.
    assert admin_call(emulator.url, "faults", "POST", {"invisible_seconds": 1e308})[0] == 400
    client = mgn_client(emulator.url)
    job = client.start_test(sourceServerIDs=[server_id(1)])["job"]
    assert_consistent(emulator)
    assert client.describe_source_servers()["items"][0]["lifeCycle"]["lastTest"]["initiated"]["jobID"] == job["jobID"]


def assert_consistent(emu: EmulatorServer) -> None:
    """No server in two active jobs; every job a server points at exists."""
    jobs = {j.job_id: j for j in emu.backend.jobs()}
    active = [p.server_id for j in jobs.values() if not j.settled for p in j.servers]
    assert len(active) == len(set(active)), "a server is in two active jobs"
    for server in emu.backend.servers():
        for last in (server.last_test, server.last_cutover):
            assert last.initiated is None or last.initiated.job_id in jobs, f"{server.server_id} points at a lost job"


def _hostile(url: str) -> list[bytes]:
    """One of each kind of request the emulator must refuse (with a 4xx JSON answer) without changing anything."""
    host = {"Host": f"127.0.0.1:{port_of(url)}"}

    def post(path: str, body: bytes, **headers: str) -> bytes:
        return request_bytes("POST", path, {**host, "Content-Length": str(len(body)), **headers}, body)

    start = json.dumps({"sourceServerIDs": [server_id(1)]}).encode()
    return [
        post("/StartCutover", start, **{"Content-Type": "text/plain"}),  # unsigned, as a cross-site form
        request_bytes("POST", "/StartCutover", {**host, "Content-Length": str(MAX_BODY_BYTES + 1)}),
        request_bytes("POST", "/DescribeJobs", {**host, "Content-Length": "100000000000"}, b"{}"),
        signed(url, "/DescribeJobs", b"[" * 50_000),
        signed(url, "/StartTest", b'{"sourceServerIDs": NaN}'),
        request_bytes("FROB", "/StartCutover", host),
        b"nonsense\r\n\r\n",
        post("/_emulator/faults", b'{"error_rate": 1.0}'),  # no JSON content type
        request_bytes("GET", "/_emulator/state", {"Host": "evil.example"}),
        post("/_emulator/faults", b'{"latency_seconds": Infinity}', **{"Content-Type": "application/json"}),
    ]


@pytest.mark.slow
def test_the_emulator_stays_up_and_consistent_through_a_barrage(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    rng = random.Random(11)
    with EmulatorServer(seed=make_seed(range(1, SERVERS + 1)), state_file=state, launch_seconds=0.3) as emu:
        hostile = _hostile(emu.url)
        acknowledged: list[str] = []

        def legit(n: int) -> Callable[[], Any]:
            sid = server_id(1 + n % SERVERS)
            client = mgn_client(emu.url)

            def launch() -> Any:
                try:
                    kind = client.start_cutover if n % 2 else client.start_test
                    acknowledged.append(kind(sourceServerIDs=[sid])["job"]["jobID"])
                except client.exceptions.ConflictException:
                    pass
                return 200

            def read() -> Any:
                return client.describe_jobs()["ResponseMetadata"]["HTTPStatusCode"]

            return launch if n % 3 else read

        tasks: list[Callable[[], Any]] = []
        for n in range(REQUESTS):
            attack = hostile[rng.randrange(len(hostile))]
            tasks.append(legit(n) if n % 2 else (lambda data=attack: exchange(port_of(emu.url), data)))
        with ThreadPoolExecutor(max_workers=16) as pool:
            futures = [pool.submit(task) for task in tasks]
            done, pending = wait(futures, timeout=DEADLINE_SECONDS)
            assert not pending, f"{len(pending)} requests unanswered after {DEADLINE_SECONDS} s"
        for outcome in (f.result() for f in futures):
            if isinstance(outcome, Reply):
                assert 400 <= outcome.status < 500 and outcome.error_type, (outcome.status, outcome.body[:200])
                assert isinstance(outcome.json()["message"], str)
            else:
                assert outcome == 200
        assert emu.faults.settings.error_rate == emu.faults.settings.latency_seconds == 0.0  # no hostile write landed
        assert emu.backend.jobs() and len(acknowledged) == len(set(acknowledged))
        assert_consistent(emu)
        stored = json.loads(state.read_text())["backends"][0]
        assert set(acknowledged) <= {j["job_id"] for j in stored["jobs"]}  # every acknowledged job is persisted
        assert mgn_client(emu.url).describe_source_servers(maxResults=1)["items"]  # and it still serves
