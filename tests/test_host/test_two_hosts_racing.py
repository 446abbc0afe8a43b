"""Two provider processes (two real dynamic-provider hosts, each with its own admission and poller) race to cut over
the same servers in one account whose job quota is smaller than the waves: MGN's refusal is the arbiter between them,
and no server is ever launched twice (issue 22). How few refusals the admission makes, and how soon a freed slot is
taken, are measured in ``tests/test_engine/test_admission.py`` on the injected clock, and at scale by the benchmark."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from tests.harness import ProviderHost
from tests.harness.emulator import jobs_by_server, make_seed, server_id
from tests.harness.mgn import start_host, up

SERVERS = [server_id(n) for n in range(1, 7)]
QUOTA = 2


@pytest.fixture
def small_account() -> Any:
    with EmulatorServer(seed=make_seed(range(1, 7)), launch_seconds=1.0, post_launch_seconds=0.0,
                        max_concurrent_jobs=QUOTA) as emu:
        yield emu


def cut_over(host: ProviderHost, emu: EmulatorServer, server: str) -> dict[str, Any]:
    _, created = up(host, {"source_server_ids": [server], "endpoint_url": emu.url, "poll_interval_seconds": 0.5,
                           "timeout_seconds": 120})
    return created.outs


@pytest.mark.slow
def test_two_provider_processes_racing_for_the_same_servers_launch_each_once(small_account: EmulatorServer) -> None:
    from mgn_resources import CutoverProvider

    with start_host(CutoverProvider()) as first, start_host(CutoverProvider()) as second:
        assert first.process.pid != second.process.pid
        with ThreadPoolExecutor(max_workers=2 * len(SERVERS)) as pool:
            futures = [pool.submit(cut_over, host, small_account, server) for server in SERVERS
                       for host in (first, second)]
            outs = [future.result(timeout=180) for future in futures]

    by_server = jobs_by_server(small_account.url)
    assert {server: len(jobs) for server, jobs in by_server.items()} == {server: 1 for server in SERVERS}
    for server, out in zip([s for s in SERVERS for _ in range(2)], outs):  # both processes report the one launch
        (job,) = by_server[server]  # one job per server, whichever process started it
        (part,) = job["participatingServers"]
        assert (out["job_id"], out["instance_ids"]) == (job["jobID"], [part["launchedEc2InstanceID"]]), (server, out)
    refused = [c for c in small_account.calls() if c.operation == "StartCutover" and c.status == 409]
    assert refused  # the processes did meet at the quota: MGN refused one of them at least once
