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
from tests.harness.emulator import make_seed, mgn_client, server_id
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

    jobs = mgn_client(small_account.url).describe_jobs(filters={})["items"]
    launched = {s["sourceServerID"]: s["launchedEc2InstanceID"] for job in jobs for s in job["participatingServers"]}
    per_server = {server: sum(1 for job in jobs for s in job["participatingServers"] if s["sourceServerID"] == server)
                  for server in SERVERS}
    assert per_server == {server: 1 for server in SERVERS}  # one job per server, whichever process started it
    job_of = {s["sourceServerID"]: job["jobID"] for job in jobs for s in job["participatingServers"]}
    for server, out in zip([s for s in SERVERS for _ in range(2)], outs):  # both processes report the one launch
        assert (out["job_id"], out["instance_ids"]) == (job_of[server], [launched[server]]), (server, out)
    refused = [c for c in small_account.calls() if c.operation == "StartCutover" and c.status == 409]
    assert refused  # the processes did meet at the quota: MGN refused one of them at least once
