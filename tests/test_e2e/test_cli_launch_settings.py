"""The target as code through the real pulumi CLI: a wave's `launch` settings reach the EC2 instances its cutover
launches (the emulator's EC2), the healthy-instance wait runs, destroy terminates them; a stalled server is refused."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from mgn_emulator import EmulatorServer
from tests.harness.cli import CliProject
from tests.harness.emulator import make_seed, server_entry, server_id

pytestmark = pytest.mark.e2e

LAUNCH_SETTINGS = "pulumi-python:dynamic/mgn:LaunchSettings"


@pytest.fixture
def emulator_seed() -> dict[str, Any]:
    return make_seed([1, 2, {**server_entry(3), "replication": {"state": "STALLED", "lag_seconds": 45}}])


def ec2_client(emulator: EmulatorServer) -> Any:
    return boto3.client(
        "ec2", endpoint_url=emulator.url, region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t"
    )


def test_a_waves_launch_settings_shape_its_instances_and_destroy_terminates_them(
    tmp_path: Any, emulator: EmulatorServer
) -> None:
    ec2 = ec2_client(emulator)
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    wave = {
        "name": "w1",
        "sourceServerIds": [server_id(1), server_id(2)],
        "onDelete": "terminate",
        "launch": {"instanceType": "m5.large", "subnetId": subnet},
    }
    project = CliProject.create(tmp_path, emulator.url, waves=[wave])
    project.select()

    project.up()

    assert len([r for r in project.resources() if r["type"] == LAUNCH_SETTINGS]) == 2
    instance_ids = project.outputs()["instance_ids"]["w1"]
    described = ec2.describe_instances(InstanceIds=list(instance_ids.values()))["Reservations"]
    instances = [i for r in described for i in r["Instances"]]
    assert {(i["InstanceType"], i["SubnetId"], i["State"]["Name"]) for i in instances} == {
        ("m5.large", subnet, "running")
    }
    assert any(c.operation == "DescribeInstanceStatus" for c in emulator.calls())  # the healthy-instance wait

    project.destroy()

    described = ec2.describe_instances(InstanceIds=list(instance_ids.values()))["Reservations"]
    assert {i["State"]["Name"] for r in described for i in r["Instances"]} == {"terminated"}


def test_a_stalled_server_is_refused_naming_its_state(tmp_path: Any, emulator: EmulatorServer) -> None:
    project = CliProject.create(tmp_path, emulator.url, waves=[{"name": "w1", "sourceServerIds": [server_id(3)]}])
    project.select()

    failed = project.up(check=False)

    assert failed.returncode != 0
    assert f"{server_id(3)}'s data replication is STALLED, not CONTINUOUS" in failed.stdout + failed.stderr
    assert not [c for c in emulator.calls() if c.operation == "StartCutover"]
