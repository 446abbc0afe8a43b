"""LaunchSettings' check: botocore's MGN and EC2 models decide, each failure names its input; no AWS call."""

from __future__ import annotations

from typing import Any

import pytest

from mgn_resources import LaunchSettingsProvider
from mgn_resources.aws.shapes import duration_seconds
from mgn_resources.engine.target_settings import mgn_changes, template_data
from mgn_resources.errors import UnexpectedResponseError
from mgn_resources.lifecycle.translate import target_settings

SERVER = "s-0a1b2c3d4e5f6a7b8"


def failures(**inputs: Any) -> dict[str, str]:
    result = LaunchSettingsProvider().check({}, {"source_server_id": SERVER, "region": "us-east-1", **inputs})
    return {f.property: f.reason for f in result.failures}


def test_valid_settings_pass_and_on_delete_defaults_to_retain() -> None:
    result = LaunchSettingsProvider().check({}, {
        "source_server_id": SERVER, "region": "us-east-1", "instance_type": "m5.large",
        "subnet_id": "subnet-0123456789abcdef0", "security_group_ids": ["sg-0123456789abcdef0"],
        "launch_disposition": "STOPPED", "right_sizing": "NONE", "boot_mode": "UEFI", "byol": True,
        "private_ip_address": "10.0.0.5", "instance_tags": {"app": "web"}, "iam_instance_profile": "web-role",
    })
    assert result.failures == []
    assert result.inputs["on_delete"] == "retain"


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("instance_type", "m5.huge", "not a value of InstanceType in botocore's EC2 model"),
        ("launch_disposition", "RUNNING", "STOPPED, STARTED"),
        ("boot_mode", "BIOS", "LEGACY_BIOS, UEFI, USE_SOURCE"),
        ("subnet_id", "sub-1", "is not a subnet ID"),
        ("security_group_ids", ["sg-1"], "is not one of security group IDs"),
        ("private_ip_address", "10.0.0.300", "is not an IPv4 address"),
        ("instance_tags", {"aws:x": "y"}, "must be 1 to 128 characters and not start with aws:"),
        ("on_delete", "terminate", "must be one of retain, restore"),
        ("source_server_id", "i-123", "is not a source server ID"),
    ],
)
def test_bad_settings_are_refused_naming_the_input(field: str, value: Any, named: str) -> None:
    reason = failures(**{field: value}).get(field, "")
    assert reason.startswith(f"{field}: ") and named in reason, reason


def test_template_data_merges_the_primary_interface_and_keeps_other_tag_specifications() -> None:
    current = {
        "NetworkInterfaces": [{"DeviceIndex": 0, "SubnetId": "subnet-old", "Groups": ["sg-old"], "Ipv6Addresses": []}],
        "TagSpecifications": [{"ResourceType": "volume", "Tags": [{"Key": "v", "Value": "1"}]}],
    }
    data = template_data(current, target_settings({"subnet_id": "subnet-new", "instance_tags": {"a": "b"}}))
    assert data["NetworkInterfaces"] == [{"DeviceIndex": 0, "SubnetId": "subnet-new", "Groups": ["sg-old"]}]
    assert data["TagSpecifications"][0]["ResourceType"] == "volume"
    assert data["TagSpecifications"][1] == {"ResourceType": "instance", "Tags": [{"Key": "a", "Value": "b"}]}
    assert "InstanceType" not in data
    changes = mgn_changes(target_settings({"byol": False, "copy_tags": True}))
    assert changes == {"copyTags": True, "licensing": {"osByol": False}}


def test_lag_durations_are_read_as_iso_8601() -> None:
    assert duration_seconds("PT0S", SERVER) == 0
    assert duration_seconds("PT1H2M3.5S", SERVER) == 3723.5
    assert duration_seconds("P1DT1S", SERVER) == 86401
    assert duration_seconds(None, SERVER) is None
    with pytest.raises(UnexpectedResponseError, match="lagDuration"):
        duration_seconds("soon", SERVER)
