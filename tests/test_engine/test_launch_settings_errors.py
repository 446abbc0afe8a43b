"""Applying launch settings to a target that cannot take them: MGN's launch configuration naming no template, a
template without a default version. One sentence naming the server (and template), what to do; never retried.

MGN and EC2 are loopback endpoints with canned answers (the emulator always names a template that exists).
"""

from __future__ import annotations

from typing import Any

import pytest

from mgn_resources.aws import Connection, build_client
from mgn_resources.aws.target import TargetApi
from mgn_resources.engine.target_settings import LaunchSettingsEngine
from mgn_resources.errors import LaunchTargetError, TemplateNotFoundError, TransientApiError
from mgn_resources.lifecycle.translate import target_settings
from tests.harness.canned import CannedMgn, reply
from tests.harness.canned_ec2 import CannedEc2, template_versions

SERVER = "s-0a1b2c3d4e5f6a7b8"
TEMPLATE = "lt-098c8790e8e45c7f3"


def settings_engine(mgn: CannedMgn, ec2: CannedEc2) -> LaunchSettingsEngine:
    client = build_client(Connection(region="us-east-1", endpoint_url=mgn.url))
    return LaunchSettingsEngine(TargetApi(client, ec2.client()))


@pytest.mark.parametrize("named", [{"ec2LaunchTemplateID": ""}, {}])
def test_a_launch_configuration_naming_no_template_is_refused_naming_the_server(named: dict[str, Any]) -> None:
    answer = reply({"sourceServerID": SERVER, "launchDisposition": "STARTED", **named})
    with CannedMgn({"GetLaunchConfiguration": answer}) as mgn, CannedEc2({}) as ec2:
        with pytest.raises(LaunchTargetError) as raised:
            settings_engine(mgn, ec2).apply(SERVER, target_settings({"instance_type": "m5.large"}))
        assert ec2.actions() == []
    text = str(raised.value)
    assert text.startswith(f"MGN's launch configuration of source server {SERVER} names no EC2 launch template")
    assert "`pulumi up`" in text and not isinstance(raised.value, TransientApiError)
    assert raised.value.source_server_id == SERVER


def test_a_template_without_a_default_version_is_refused_naming_server_and_template() -> None:
    answer = reply({"sourceServerID": SERVER, "ec2LaunchTemplateID": TEMPLATE, "launchDisposition": "STARTED"})
    with CannedMgn({"GetLaunchConfiguration": answer}) as mgn, CannedEc2(
        {"DescribeLaunchTemplateVersions": template_versions()}
    ) as ec2:
        with pytest.raises(TemplateNotFoundError) as raised:
            settings_engine(mgn, ec2).apply(SERVER, target_settings({"instance_type": "m5.large"}))
        assert ec2.actions() == ["DescribeLaunchTemplateVersions"]  # nothing created on top of nothing
    text = str(raised.value)
    assert f"launch template {TEMPLATE} of source server {SERVER}" in text
    assert "list index out of range" not in text and "failed unexpectedly" not in text
