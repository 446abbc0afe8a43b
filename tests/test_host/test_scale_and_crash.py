"""Many cutovers at once in one host, and a host killed mid-wait (issue: scale and faults)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from mgn_resources.provider import host_pool
from tests.harness import HostError, ProviderHost
from tests.harness.emulator import mgn_client, server_id
from tests.harness.mgn import start_host, up

WAVES = [[server_id(n)] for n in range(100, 112)]
JOB_SECONDS = 4.0  # long enough that the 1.5x bound has seconds of margin on a busy 2-core machine


@pytest.fixture
def many() -> Any:
    seed = {"servers": [{"id": w[0], "hostname": f"h{n}", "state": "READY_FOR_CUTOVER"} for n, w in enumerate(WAVES)]}
    with EmulatorServer(seed=seed, launch_seconds=JOB_SECONDS) as emu:
        yield emu


def create(host: ProviderHost, emu: EmulatorServer, servers: list[str]) -> float:
    started = time.monotonic()
    up(host, {"source_server_ids": servers, "endpoint_url": emu.url, "poll_interval_seconds": 0.2})
    return time.monotonic() - started


@pytest.mark.slow
def test_twelve_cutovers_wait_side_by_side_and_check_still_answers(many: EmulatorServer) -> None:
    from mgn_resources import CutoverProvider

    with start_host(CutoverProvider()) as host:
        single = create(host, many, WAVES[0])
        many.clear_calls()
        with ThreadPoolExecutor(max_workers=len(WAVES) - 1) as pool:
            started = time.monotonic()
            futures = [pool.submit(create, host, many, w) for w in WAVES[1:]]
            time.sleep(JOB_SECONDS / 3)  # every create is now waiting on its job
            check_started = time.monotonic()
            host.check({}, {"source_server_ids": WAVES[0]})
            check_seconds = time.monotonic() - check_started
            for future in futures:
                future.result()
            together = time.monotonic() - started

    assert check_seconds < 1.0
    assert together <= 1.5 * single, (together, single)
    assert many.call_count("StartCutover") == len(WAVES) - 1


def test_widening_fails_safe_with_one_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(host_pool, "_attempted", False)
    monkeypatch.setattr(host_pool, "inside_dynamic_host", lambda: True)
    monkeypatch.setattr(host_pool, "_host_pools", lambda: [])
    monkeypatch.setattr(host_pool.pulumi.log, "warn", warnings.append)

    assert host_pool.widen_host_pool() is False
    assert host_pool.widen_host_pool() is False
    assert len(warnings) == 1 and "4 at a time" in warnings[0]


@pytest.mark.slow
def test_a_host_killed_mid_wait_then_a_new_host_adopts_the_job(many: EmulatorServer) -> None:
    from mgn_resources import CutoverProvider

    many.backend.launch_seconds = 3.0
    servers = WAVES[0] + WAVES[1]
    first = start_host(CutoverProvider())
    checked = first.check({}, {"source_server_ids": servers, "endpoint_url": many.url, "poll_interval_seconds": 0.2})
    with ThreadPoolExecutor(max_workers=1) as pool:
        doomed = pool.submit(first.create, checked.inputs)
        deadline = time.monotonic() + 10
        while many.call_count("DescribeJobs") == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        first.kill()
        with pytest.raises(HostError):
            doomed.result()
    assert many.call_count("StartCutover") == 1

    with start_host(CutoverProvider()) as second:
        created = second.create(second.check({}, checked.inputs).inputs)

    assert created.outs["job_status"] == "COMPLETED"
    assert many.call_count("StartCutover") == 1
    assert "Adopting cutover job" in second.stderr
    jobs = mgn_client(many.url).describe_jobs()["items"]
    assert [j["jobID"] for j in jobs] == [created.id]
