"""The plugin's package answers with no launch: its schema, its configuration, check, import and previews that
cannot ask MGN anything yet."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from tests.harness import REPO_ROOT, HostError
from tests.harness.emulator import server_id
from tests.harness.plugin import CUTOVER, LAUNCH_SETTINGS, UNKNOWN, Plugin

from .conftest import launch


def test_get_schema_returns_the_committed_schema(plugin_process: Plugin) -> None:
    served = plugin_process.get_schema()
    assert served == (REPO_ROOT / "mgn_resources" / "plugin" / "schema.json").read_text(encoding="utf-8")
    assert set(json.loads(served)["resources"]) == {CUTOVER, LAUNCH_SETTINGS, "mgn:index:TestLaunch"}


def test_configure_accepts_secrets_and_previews(plugin_process: Plugin) -> None:
    answer = plugin_process.configure({"region": "us-east-1"})
    assert answer.acceptSecrets and answer.supportsPreview


def test_check_fills_in_defaults_and_the_provider_endpoint(plugin: Plugin, emulator: EmulatorServer) -> None:
    checked = plugin.check(CUTOVER, {}, {"sourceServerIds": [server_id(1)]})
    assert checked.failures == []
    assert checked.inputs["timeoutSeconds"] == 3600 and checked.inputs["onDelete"] == "retain"
    assert checked.inputs["waitForPostLaunchActions"] is True and checked.inputs["finalize"] is False
    assert checked.inputs["endpointUrl"] == emulator.url  # the provider's endpointUrl, as the resource sets none
    mine = plugin.check(CUTOVER, {}, launch(1, endpointUrl="http://127.0.0.1:9"))
    assert mine.inputs["endpointUrl"] == "http://127.0.0.1:9"  # a resource's own input wins
    assert emulator.calls() == []


def test_check_refuses_bad_inputs_naming_each_as_the_schema_spells_it(plugin: Plugin) -> None:
    checked = plugin.check(CUTOVER, {}, {"onDelete": "explode", "finalise": True})
    reasons = {f.property: f.reason for f in checked.failures}
    assert set(reasons) == {"onDelete", "finalise", "sourceServerIds"}
    assert reasons["onDelete"].startswith("onDelete: 'explode' must be one of retain, revert, terminate")
    assert reasons["sourceServerIds"] == "Set exactly one of sourceServerIds, applicationIds or waveId; none is set."
    assert "'finalise' is not an input of Cutover" in reasons["finalise"]


def test_check_names_the_provider_configuration_for_a_missing_region(plugin_process: Plugin) -> None:
    plugin_process.configure({"endpointUrl": "http://127.0.0.1:9"})  # no region anywhere (AWS_* are unset)
    checked = plugin_process.check(CUTOVER, {}, launch(1))
    reasons = {f.property: f.reason for f in checked.failures}
    assert list(reasons) == ["region"]
    assert "`pulumi config set mgn:region <region>`" in reasons["region"] and "aws:" not in reasons["region"]


def test_check_config_refuses_a_bad_setting_naming_it(plugin_process: Plugin) -> None:
    checked = plugin_process.check_config({"region": "us-east-1", "accountId": "12", "version": "0.1.0"})
    assert [f.property for f in checked.failures] == ["accountId"]
    assert checked.failures[0].reason.startswith("accountId: ")
    assert plugin_process.check_config({"accountId": "111122223333"}).failures == []


def test_import_of_a_launch_settings_is_refused_naming_the_server(plugin: Plugin) -> None:
    with pytest.raises(HostError) as refused:
        plugin.read(LAUNCH_SETTINGS, server_id(1), {})
    details = refused.value.details
    assert details.startswith(f"Importing the LaunchSettings of source server {server_id(1)} is not supported")
    assert "\n" not in details.strip()


def test_import_of_a_job_that_is_not_a_cutover_names_it(plugin: Plugin, mgn_client: Any) -> None:
    tested = mgn_client.start_test(sourceServerIDs=[server_id(1)])["job"]["jobID"]
    with pytest.raises(HostError) as refused:
        plugin.read(CUTOVER, tested, {})
    assert refused.value.details.strip() == (
        f"Job {tested} was started by START_TEST, not START_CUTOVER: it is not a cutover job; import it as the "
        "resource of its kind."
    )
    with pytest.raises(HostError) as unknown:
        plugin.read(CUTOVER, "mgnjob-0123456789abcdef0", {})
    assert unknown.value.details.startswith("Job mgnjob-0123456789abcdef0 is not listed by MGN in us-east-1")


def test_a_preview_with_an_unknown_input_calls_nothing(plugin: Plugin, emulator: EmulatorServer) -> None:
    checked = plugin.check(CUTOVER, {}, launch(1, sourceServerIds=UNKNOWN))
    assert checked.failures == [] and checked.inputs["sourceServerIds"] is UNKNOWN
    previewed = plugin.create(CUTOVER, checked.inputs, preview=True)
    assert previewed.outs["jobId"] is UNKNOWN and previewed.outs["servers"] is UNKNOWN
    assert previewed.outs["timeoutSeconds"] == 3600
    assert emulator.calls() == []


def test_a_launch_settings_preview_calls_nothing(plugin: Plugin, emulator: EmulatorServer) -> None:
    checked = plugin.check(LAUNCH_SETTINGS, {}, {"sourceServerId": server_id(1), "instanceType": "m5.large"})
    assert checked.failures == []
    previewed = plugin.create(LAUNCH_SETTINGS, checked.inputs, preview=True)
    assert previewed.outs["instanceType"] == "m5.large" and previewed.outs["launchTemplateVersion"] is UNKNOWN
    assert emulator.calls() == []


def test_a_type_the_package_does_not_have_is_refused(plugin: Plugin) -> None:
    with pytest.raises(HostError) as refused:
        plugin.check("mgn:index:Nope", {}, {})
    assert "has no resource type 'mgn:index:Nope'" in refused.value.details


def test_a_bug_keeps_its_stack(plugin: Plugin) -> None:
    with pytest.raises(HostError) as failed:
        plugin.create(CUTOVER, {**launch(1), "timeoutSeconds": "not a number"})  # skips check: a ValueError inside
    assert 'File "' in failed.value.details
