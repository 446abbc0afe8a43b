"""Concurrent clients and botocore's keep-alive connections."""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from tests.harness.emulator import make_seed, mgn_client, server_id


@pytest.fixture
def emulator_seed() -> dict[str, Any]:
    return make_seed(range(1, 41))


@pytest.mark.slow
def test_concurrent_clients_one_job_per_server(emulator: EmulatorServer) -> None:
    emulator.set_faults(never_complete=True)

    def race(n: int) -> str:
        client = mgn_client(emulator.url)
        try:
            client.start_cutover(sourceServerIDs=[server_id(1 + n % 10)])
            return "started"
        except client.exceptions.ConflictException:
            return "conflict"

    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(pool.map(race, range(40)))
    assert outcomes.count("started") == 10  # exactly one job per server won
    assert outcomes.count("conflict") == 30
    assert emulator.call_count("StartCutover") == 40


@pytest.mark.slow
def test_parallel_reads(emulator: EmulatorServer) -> None:
    def read(_: int) -> int:
        client = mgn_client(emulator.url)
        return sum(len(client.describe_source_servers(maxResults=7)["items"]) for _ in range(5))

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(read, range(16))) == {35}


def test_keep_alive_reuses_one_connection(emulator: EmulatorServer, mgn_client: Any) -> None:
    for _ in range(10):
        mgn_client.describe_jobs()
    with pytest.raises(mgn_client.exceptions.ValidationException):
        mgn_client.list_exports()  # an error answer keeps the connection too
    mgn_client.describe_source_servers()
    assert emulator.connection_count == 1


def test_stop_cuts_keep_alive_connections(emulator_seed: dict[str, Any]) -> None:
    import botocore.exceptions

    emu = EmulatorServer(seed=emulator_seed).start()
    client = mgn_client(emu.url, connect_timeout=1, read_timeout=2)
    client.describe_jobs()
    emu.stop()
    with pytest.raises(botocore.exceptions.EndpointConnectionError):
        client.describe_jobs()


def test_serves_on_the_ipv6_loopback(emulator_seed: dict[str, Any]) -> None:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback here")
    with EmulatorServer(seed=emulator_seed, host="::1") as emu:
        assert emu.url.startswith("http://[::1]:")
        assert len(mgn_client(emu.url).describe_source_servers(maxResults=1)["items"]) == 1
