"""The program end to end: mocks forward each Cutover/TestLaunch to the real provider host (check, then create)
against an emulator seeded like the local stack, so the exports hold real job and instance IDs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from tests.harness import ProviderHost
from tests.harness.emulator import lifecycle_state, mgn_client
from tests.harness.program import HostMocks, config_values, local_stack_config, run_program

pytestmark = pytest.mark.slow


@pytest.fixture
def stack_config(local_emulator: EmulatorServer) -> dict[str, Any]:
    return {**local_stack_config(), "mgn-cutover:endpointUrl": local_emulator.url}


@pytest.fixture
def host(stack_config: dict[str, Any]) -> Iterator[ProviderHost]:
    with ProviderHost() as provider_host:
        provider_host.configure(config_values(stack_config))
        yield provider_host


def test_local_stack_up_exports_real_job_and_instance_ids(
    local_emulator: EmulatorServer, host: ProviderHost, stack_config: dict[str, Any]
) -> None:
    mocks = HostMocks(host)
    run = run_program(stack_config, mocks)

    jobs = run.exports["job_ids"]
    assert jobs == {"wave-1": mocks.created["wave-1-cutover"].id, "wave-2": mocks.created["wave-2-cutover"].id}
    assert run.exports["test_job_ids"] == {"wave-1": mocks.created["wave-1-test"].id}
    waves = {w["name"]: w["sourceServerIds"] for w in stack_config["mgn-cutover:waves"]}
    for wave, servers in waves.items():
        instances = run.exports["instance_ids"][wave]
        assert set(instances) == set(servers)
        assert all(i.startswith("i-") for i in instances.values())

    calls = local_emulator.calls()
    starts = [(c.operation, sorted(c.body["sourceServerIDs"])) for c in calls if c.operation.startswith("Start")]
    assert starts == [
        ("StartTest", sorted(waves["wave-1"])),
        ("StartCutover", sorted(waves["wave-1"])),
        ("StartCutover", sorted(waves["wave-2"])),
    ]
    mgn = mgn_client(local_emulator.url)
    assert {lifecycle_state(mgn, s) for s in [*waves["wave-1"], *waves["wave-2"]]} == {"CUTTING_OVER"}
