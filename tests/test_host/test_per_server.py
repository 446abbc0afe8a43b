"""Each server's launch is the unit, through the real host against the emulator: an added server launches alone,
a removed one gets on_delete alone, refresh reports each server, and the next update launches only what is missing."""

from __future__ import annotations

from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from tests.harness import ProviderHost
from tests.harness.emulator import lifecycle_state
from tests.harness.mgn import SERVERS, up

pytestmark = pytest.mark.slow

WAVE = SERVERS[:2]
THREE = SERVERS[:3]


def inputs(emu: EmulatorServer, **overrides: Any) -> dict[str, Any]:
    return {"source_server_ids": list(WAVE), "endpoint_url": emu.url, "poll_interval_seconds": 0.05, **overrides}


def started(emu: EmulatorServer) -> list[list[str]]:
    return [c.body["sourceServerIDs"] for c in emu.calls() if c.operation == "StartCutover"]


def updated(host: ProviderHost, created_id: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
    checked = host.check(olds, news).inputs
    assert host.diff(created_id, olds, checked).replaces == []
    return host.update(created_id, olds, checked)


def test_an_added_server_launches_alone_and_a_removed_one_is_reverted_alone(
    cutover_host: ProviderHost, emu: EmulatorServer, mgn: Any
) -> None:
    _, created = up(cutover_host, inputs(emu, on_delete="revert"))

    grown = updated(cutover_host, created.id, created.outs, inputs(emu, on_delete="revert", source_server_ids=THREE))
    assert started(emu) == [WAVE, [SERVERS[2]]]
    third_job = grown["server_job_ids"][SERVERS[2]]
    assert grown["server_job_ids"] == {WAVE[0]: created.id, WAVE[1]: created.id, SERVERS[2]: third_job}
    assert third_job != created.id and grown["job_id"] == created.id
    assert grown["launched_instance_ids"][WAVE[0]] == created.outs["launched_instance_ids"][WAVE[0]]
    assert len(grown["instance_ids"]) == 3 and grown["pending_server_ids"] == [] == grown["failed_server_ids"]

    shrunk = updated(cutover_host, created.id, grown, inputs(emu, on_delete="revert", source_server_ids=THREE[1:]))
    assert [lifecycle_state(mgn, s) for s in THREE] == ["READY_FOR_CUTOVER", "CUTTING_OVER", "CUTTING_OVER"]
    assert set(shrunk["launched_instance_ids"]) == set(THREE[1:])
    assert len(started(emu)) == 2  # removing launched nothing


def test_refresh_reports_a_reverted_server_and_the_next_update_launches_it_alone(
    cutover_host: ProviderHost, emu: EmulatorServer, mgn: Any
) -> None:
    _, created = up(cutover_host, inputs(emu))
    mgn.change_server_life_cycle_state(sourceServerID=WAVE[0], lifeCycle={"state": "READY_FOR_CUTOVER"})

    before = len(cutover_host.stderr)
    read = cutover_host.read(created.id, created.outs)
    assert read.id == created.id
    assert read.outs["pending_server_ids"] == [WAVE[0]]
    assert list(read.outs["launched_instance_ids"]) == [WAVE[1]]
    assert read.outs["servers"][0]["state"] == "REVERTED" and read.outs["servers"][0]["instance_id"] == ""
    assert (
        f"warning: {WAVE[0]} was reverted in MGN after job {created.id} launched it; the next `pulumi up` launches "
        f"{WAVE[0]} again." in cutover_host.stderr[before:]
    )

    checked = cutover_host.check(read.outs, inputs(emu)).inputs
    diff = cutover_host.diff(created.id, read.outs, checked)
    assert diff.changed and diff.replaces == []
    relaunched = cutover_host.update(created.id, read.outs, checked)
    assert started(emu) == [WAVE, [WAVE[0]]]
    assert relaunched["pending_server_ids"] == [] and set(relaunched["launched_instance_ids"]) == set(WAVE)
    assert relaunched["launched_instance_ids"][WAVE[1]] == created.outs["launched_instance_ids"][WAVE[1]]


def test_refresh_drops_the_resource_only_when_none_of_its_servers_is_launched(
    cutover_host: ProviderHost, emu: EmulatorServer, mgn: Any
) -> None:
    _, created = up(cutover_host, inputs(emu))
    for server in WAVE:
        mgn.change_server_life_cycle_state(sourceServerID=server, lifeCycle={"state": "READY_FOR_CUTOVER"})
    assert cutover_host.read(created.id, created.outs).id == ""
