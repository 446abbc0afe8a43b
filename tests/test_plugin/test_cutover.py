"""A Cutover through the plugin, as `pulumi up`, `refresh` and `destroy` drive it: each call the lifecycle's."""

from __future__ import annotations

import time
from typing import Any

from mgn_emulator import EmulatorServer
from tests.harness.emulator import lifecycle_state, mutating_calls, server_id
from tests.harness.plugin import CUTOVER, TEST_LAUNCH, FakeEngine, Plugin, Secret, urn

from .conftest import REGION, launch


def up(plugin: Plugin, news: dict[str, Any], name: str = "test") -> tuple[dict[str, Any], Any]:
    checked = plugin.check(CUTOVER, {}, news)
    assert checked.failures == [], checked.failures
    return checked.inputs, plugin.create(CUTOVER, checked.inputs, name=name)


def snake_keys(value: Any) -> list[str]:
    """Every key of an object a schema type describes that is not camelCase (maps of IDs are skipped)."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if "_" in key and not key.startswith(("s-", "i-")):
                found.append(key)
            found += snake_keys(item)
    elif isinstance(value, list):
        for item in value:
            found += snake_keys(item)
    return found


def test_create_launches_once_and_reports_each_server_in_camel_case(
    plugin: Plugin, engine: FakeEngine, emulator: EmulatorServer
) -> None:
    checked, created = up(plugin, launch(1, 2), name="wave-1")
    outs = created.outs

    assert emulator.call_count("StartCutover") == 1
    assert created.id == outs["jobId"] and created.id.startswith("mgnjob-")
    assert outs["jobStatus"] == "COMPLETED" and outs["effectiveRegion"] == "us-east-1"
    assert outs["effectiveEndpointUrl"] == emulator.url
    assert [s["sourceServerId"] for s in outs["servers"]] == [server_id(1), server_id(2)]
    first = outs["servers"][0]
    assert first["state"] == "LAUNCHED" and first["jobId"] == created.id and first["instanceId"].startswith("i-")
    assert first["postLaunchActions"] == []
    assert set(outs["launchedInstanceIds"]) == {server_id(1), server_id(2)}  # a map's keys are left alone
    assert outs["instanceIds"] == [outs["launchedInstanceIds"][s] for s in (server_id(1), server_id(2))]
    assert outs["pendingServerIds"] == [] and outs["failedServerIds"] == [] and outs["finalized"] is False
    assert snake_keys(outs) == []
    for key, value in checked.items():  # every input is an output too
        assert outs[key] == value
    # Progress reaches the engine's log under the resource's URN.
    lines = engine.messages(urn(CUTOVER, "wave-1"))
    assert any(line.startswith(f"Started cutover job {created.id}") for line in lines)


def test_a_second_create_adopts_the_launch(plugin: Plugin, emulator: EmulatorServer) -> None:
    checked, created = up(plugin, launch(1))
    again = plugin.create(CUTOVER, checked)
    assert emulator.call_count("StartCutover") == 1
    assert again.outs["launchedInstanceIds"] == created.outs["launchedInstanceIds"]
    assert again.outs["servers"][0]["jobId"] == created.id


def test_an_update_adding_a_server_launches_only_it(plugin: Plugin, emulator: EmulatorServer) -> None:
    checked, created = up(plugin, launch(1))
    grown = plugin.check(CUTOVER, checked, launch(1, 2)).inputs

    diff = plugin.diff(CUTOVER, created.id, created.outs, grown)
    assert diff.changed and diff.replaces == [] and diff.detailed == {"sourceServerIds": "UPDATE"}
    updated = plugin.update(CUTOVER, created.id, created.outs, grown)

    starts = [c.body for c in emulator.calls() if c.operation == "StartCutover"]
    assert [body["sourceServerIDs"] for body in starts] == [[server_id(1)], [server_id(2)]]
    assert updated["jobId"] == created.id
    assert set(updated["launchedInstanceIds"]) == {server_id(1), server_id(2)}
    assert updated["launchedInstanceIds"][server_id(1)] == created.outs["launchedInstanceIds"][server_id(1)]


def test_a_tag_change_is_an_update_in_place(plugin: Plugin, emulator: EmulatorServer) -> None:
    checked, created = up(plugin, launch(1, tags={"wave": "1", "owner": "ops"}))
    assert plugin.diff(CUTOVER, created.id, created.outs, checked).changes == "none"
    news = plugin.check(CUTOVER, checked, launch(1, tags={"wave": "2"})).inputs
    diff = plugin.diff(CUTOVER, created.id, created.outs, news)
    assert diff.changed and diff.replaces == [] and diff.detailed == {"tags": "UPDATE"}
    emulator.clear_calls()

    updated = plugin.update(CUTOVER, created.id, created.outs, news)
    assert updated["tags"] == {"wave": "2"}
    assert set(mutating_calls(emulator)) == {"TagResource", "UntagResource"}


def test_refresh_reads_each_server_as_mgn_tells_it(plugin: Plugin, emulator: EmulatorServer, mgn_client: Any) -> None:
    checked, created = up(plugin, launch(1))
    read = plugin.read(CUTOVER, created.id, created.outs, checked)
    assert read.id == created.id and read.outs["launchedInstanceIds"] == created.outs["launchedInstanceIds"]
    assert read.inputs == checked

    mgn_client.change_server_life_cycle_state(sourceServerID=server_id(1), lifeCycle={"state": "READY_FOR_CUTOVER"})
    assert plugin.read(CUTOVER, created.id, created.outs, checked).id == ""  # gone: no server is launched now


def test_delete_with_revert_returns_the_servers_to_ready_for_cutover(
    plugin: Plugin, emulator: EmulatorServer, mgn_client: Any
) -> None:
    _, created = up(plugin, launch(1, 2, onDelete="revert"))
    plugin.delete(CUTOVER, created.id, created.outs)
    assert [lifecycle_state(mgn_client, server_id(n)) for n in (1, 2)] == ["READY_FOR_CUTOVER", "READY_FOR_CUTOVER"]


def test_delete_with_retain_leaves_mgn_alone(plugin: Plugin, emulator: EmulatorServer) -> None:
    _, created = up(plugin, launch(1))
    emulator.clear_calls()
    plugin.delete(CUTOVER, created.id, created.outs)
    assert mutating_calls(emulator) == []


def test_secrets_stay_secret_in_the_outputs(plugin_process: Plugin, emulator: EmulatorServer) -> None:
    plugin_process.configure({"region": "us-east-1", "endpointUrl": Secret(emulator.url)})
    checked, created = up(plugin_process, launch(1, tags=Secret({"wave": "1"})))
    assert checked["tags"] == Secret({"wave": "1"}) and checked["endpointUrl"] == Secret(emulator.url)
    outs = created.outs
    assert outs["tags"] == Secret({"wave": "1"})
    assert outs["endpointUrl"] == Secret(emulator.url) and outs["effectiveEndpointUrl"] == Secret(emulator.url)
    assert outs["jobId"] == created.id  # what was never secret stays plain


def test_a_test_launch_marks_its_server_ready_for_cutover(
    plugin: Plugin, emulator: EmulatorServer, mgn_client: Any
) -> None:
    emulator.add_server(server_id(4), state="READY_FOR_TEST")
    checked = plugin.check(TEST_LAUNCH, {}, launch(4))
    assert checked.failures == [] and checked.inputs["markReadyForCutover"] is True
    created = plugin.create(TEST_LAUNCH, checked.inputs)
    assert emulator.call_count("StartTest") == 1
    assert created.outs["markedReadyForCutover"] is True and created.outs["servers"][0]["state"] == "LAUNCHED"
    assert lifecycle_state(mgn_client, server_id(4)) == "READY_FOR_CUTOVER"


def test_without_an_engine_progress_goes_to_stderr(emulator: EmulatorServer) -> None:
    with Plugin() as alone:  # its engine address answers nothing
        alone.configure({"region": REGION, "endpointUrl": emulator.url})
        created = alone.create(CUTOVER, alone.check(CUTOVER, {}, launch(1)).inputs)
        expected = f"info: Started cutover job {created.id}"
        deadline = time.monotonic() + 5
        while expected not in alone.stderr and time.monotonic() < deadline:
            time.sleep(0.05)
        assert expected in alone.stderr


def test_import_reads_the_job_as_inputs_and_outputs_and_launches_nothing(
    plugin: Plugin, emulator: EmulatorServer, mgn_client: Any
) -> None:
    job = mgn_client.start_cutover(sourceServerIDs=[server_id(1), server_id(2)], tags={"wave": "w1"})["job"]["jobID"]
    deadline = time.monotonic() + 30
    while mgn_client.describe_jobs(filters={"jobIDs": [job]})["items"][0]["status"] != "COMPLETED":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    emulator.clear_calls()

    imported = plugin.read(CUTOVER, job, {})

    assert imported.id == job and mutating_calls(emulator) == []
    assert imported.inputs["sourceServerIds"] == [server_id(1), server_id(2)]
    assert imported.inputs["tags"] == {"wave": "w1"} and imported.inputs["timeoutSeconds"] == 3600
    assert imported.outs["jobId"] == job and imported.outs["pendingServerIds"] == []
    assert set(imported.outs["launchedInstanceIds"]) == {server_id(1), server_id(2)}
    # The program that declares the same servers and tags then sees no change, and a create would launch nothing.
    declared = {"sourceServerIds": [server_id(1), server_id(2)], "tags": {"wave": "w1"}}
    checked = plugin.check(CUTOVER, imported.inputs, declared)
    assert plugin.diff(CUTOVER, job, imported.outs, checked.inputs).changes == "none"
    assert emulator.call_count("StartCutover") == 0
