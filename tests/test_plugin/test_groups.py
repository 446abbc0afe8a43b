"""The plugin face of issue 21: ``applicationIds`` and ``waveId`` as the dynamic resources take them (same schema
rows, same lifecycle), over gRPC against the emulator, with applications and waves made through the MGN API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from tests.harness import HostError
from tests.harness.emulator import make_seed, mgn_client, mutating_calls, server_entry, server_id
from tests.harness.mgn_groups import add_servers, create_application, create_wave, in_order, launched
from tests.harness.plugin import CUTOVER, TEST_LAUNCH, UNKNOWN, FakeEngine, Plugin, urn

from .conftest import REGION

S1, S2, S3, S4 = (server_id(n) for n in (1, 2, 3, 4))


def group(**given: Any) -> dict[str, Any]:
    return {"pollIntervalSeconds": 0.05, **given}


@pytest.mark.parametrize(
    ("news", "prop", "sentence"),
    [
        ({}, "sourceServerIds", "none is set."),
        ({"applicationIds": ["app-00000000000000001"], "waveId": "wave-00000000000000001"}, "waveId",
         "application_ids and wave_id are both set."),
        ({"waveId": "wave-1"}, "waveId", "waveId: 'wave-1' is not an MGN wave ID"),
    ],
)
def test_check_refuses_any_other_combination_naming_the_property(
    plugin: Plugin, emulator: EmulatorServer, news: dict[str, Any], prop: str, sentence: str
) -> None:
    checked = plugin.check(CUTOVER, {}, group(**news))
    reasons = {f.property: f.reason for f in checked.failures}
    assert list(reasons) == [prop] and sentence.replace("application_ids", "applicationIds").replace(
        "wave_id", "waveId") in reasons[prop]
    assert emulator.calls() == []  # check makes no AWS call


def test_a_cutover_of_a_wave_resolves_its_applications_at_create(
    plugin: Plugin, emulator: EmulatorServer, mgn_client: Any
) -> None:
    web, db = create_application(mgn_client, "web", [S2, S1]), create_application(mgn_client, "db", [S3])
    wave = create_wave(mgn_client, "w", [web, db])
    checked = plugin.check(CUTOVER, {}, group(waveId=wave))
    assert checked.failures == [] and "sourceServerIds" not in checked.inputs
    emulator.clear_calls()

    previewed = plugin.create(CUTOVER, checked.inputs, preview=True)
    assert previewed.outs["sourceServerIds"] is UNKNOWN and previewed.outs["unlaunchedServerIds"] is UNKNOWN
    assert mutating_calls(emulator) == []

    created = plugin.create(CUTOVER, checked.inputs)
    expected = in_order(mgn_client, web, db)
    assert launched(emulator) == [expected]
    assert created.outs["sourceServerIds"] == expected and created.outs["waveId"] == wave
    assert created.outs["unlaunchedServerIds"] == [] and set(created.outs["launchedInstanceIds"]) == {S1, S2, S3}
    assert plugin.diff(CUTOVER, created.id, created.outs, checked.inputs).changes == "none"


def test_refresh_reports_a_server_added_since_and_no_update_launches_it(
    plugin: Plugin, engine: FakeEngine, emulator: EmulatorServer, mgn_client: Any
) -> None:
    emulator.add_server(S4, state="NOT_READY")  # an update that tried to launch it would fail
    web = create_application(mgn_client, "web", [S1, S2])
    checked = plugin.check(TEST_LAUNCH, {}, group(applicationIds=[web], markReadyForCutover=False))
    emulator.add_server(S1, state="READY_FOR_TEST")
    emulator.add_server(S2, state="READY_FOR_TEST")
    created = plugin.create(TEST_LAUNCH, checked.inputs, name="web-test")
    add_servers(mgn_client, web, [S4])

    read = plugin.read(TEST_LAUNCH, created.id, created.outs, checked.inputs)
    assert read.outs["unlaunchedServerIds"] == [S4] and read.outs["sourceServerIds"] == [S1, S2]
    warnings = [m for m in engine.messages(urn(TEST_LAUNCH, "test")) if "unlaunchedServerIds" in m]
    assert len(warnings) == 1 and S4 in warnings[0] and f"Application {web} now lists {S4}" in warnings[0]

    assert plugin.diff(TEST_LAUNCH, created.id, read.outs, checked.inputs).changes == "none"
    news = plugin.check(TEST_LAUNCH, checked.inputs, {**group(applicationIds=[web], markReadyForCutover=False),
                                                      "tags": {"team": "web"}}).inputs
    diff = plugin.diff(TEST_LAUNCH, created.id, read.outs, news)
    assert diff.changed and diff.replaces == [] and diff.detailed == {"tags": "UPDATE"}
    previewed = plugin.update(TEST_LAUNCH, created.id, read.outs, news, preview=True)  # S4 is not preflighted
    assert previewed["sourceServerIds"] == [S1, S2]
    updated = plugin.update(TEST_LAUNCH, created.id, read.outs, news)
    assert updated["sourceServerIds"] == [S1, S2] and updated["unlaunchedServerIds"] == [S4]
    assert launched(emulator, "StartTest") == [[S1, S2]]


def test_a_change_of_the_applications_replaces(plugin: Plugin, emulator: EmulatorServer, mgn_client: Any) -> None:
    web, db = create_application(mgn_client, "web", [S1]), create_application(mgn_client, "db", [S2])
    checked = plugin.check(CUTOVER, {}, group(applicationIds=[web]))
    created = plugin.create(CUTOVER, checked.inputs)
    news = plugin.check(CUTOVER, checked.inputs, group(applicationIds=[web, db])).inputs
    diff = plugin.diff(CUTOVER, created.id, created.outs, news)
    assert diff.replaces == ["applicationIds"] and diff.detailed == {"applicationIds": "UPDATE_REPLACE"}


# ---- refused at preview, read-only, as the create would ----

BIG = [server_id(n) for n in range(101, 101 + 201)]


@pytest.fixture
def big_emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(seed=make_seed([server_entry(sid) for sid in BIG]), launch_seconds=0.3) as server:
        yield server


@pytest.mark.slow
def test_an_oversized_application_fails_the_preview_with_the_count_and_launches_nothing(
    plugin_process: Plugin, big_emulator: EmulatorServer
) -> None:
    plugin_process.configure({"region": REGION, "endpointUrl": big_emulator.url})
    app = create_application(mgn_client(big_emulator.url), "big", BIG)
    checked = plugin_process.check(CUTOVER, {}, group(applicationIds=[app]))
    big_emulator.clear_calls()

    with pytest.raises(HostError) as previewed:
        plugin_process.create(CUTOVER, checked.inputs, preview=True)
    with pytest.raises(HostError) as created:
        plugin_process.create(CUTOVER, checked.inputs)

    details = previewed.value.details
    assert f"application {app}: it has 201 source servers, over MGN's limit of 200 in one StartCutover" in details
    assert details == created.value.details and "Traceback" not in details
    assert mutating_calls(big_emulator) == [] and launched(big_emulator) == []
