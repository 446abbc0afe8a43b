"""LaunchSettings through the plugin: a new launch template version made the default, and restored on delete."""

from __future__ import annotations

from typing import Any

import boto3

from mgn_emulator import EmulatorServer
from tests.harness.emulator import server_id
from tests.harness.plugin import LAUNCH_SETTINGS, Plugin

from .conftest import REGION


def default_version(emu: EmulatorServer, template: str) -> int:
    ec2: Any = boto3.client(
        "ec2", endpoint_url=emu.url, region_name=REGION, aws_access_key_id="test", aws_secret_access_key="test"
    )
    versions = ec2.describe_launch_template_versions(LaunchTemplateId=template, Versions=["$Default"])
    return int(versions["LaunchTemplateVersions"][0]["VersionNumber"])


def test_create_makes_a_version_the_default_and_delete_restores_the_previous(
    plugin: Plugin, emulator: EmulatorServer
) -> None:
    news = {"sourceServerId": server_id(1), "instanceType": "m5.large", "onDelete": "restore"}
    checked = plugin.check(LAUNCH_SETTINGS, {}, news)
    assert checked.failures == []
    created = plugin.create(LAUNCH_SETTINGS, checked.inputs)

    outs = created.outs
    assert created.id == server_id(1)
    assert outs["launchTemplateVersion"] == outs["previousDefaultVersion"] + 1 == outs["defaultVersion"]
    assert default_version(emulator, outs["launchTemplateId"]) == outs["launchTemplateVersion"]
    assert outs["instanceType"] == "m5.large" and outs["effectiveEndpointUrl"] == emulator.url
    assert emulator.call_count("UpdateLaunchConfiguration") + emulator.call_count("CreateLaunchTemplateVersion") >= 1

    read = plugin.read(LAUNCH_SETTINGS, created.id, outs, checked.inputs)
    assert read.outs == outs  # nobody changed the default since
    assert plugin.diff(LAUNCH_SETTINGS, created.id, outs, checked.inputs).changes == "none"

    plugin.delete(LAUNCH_SETTINGS, created.id, outs)
    assert default_version(emulator, outs["launchTemplateId"]) == outs["previousDefaultVersion"]
