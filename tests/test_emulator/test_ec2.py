"""The emulator's EC2 (moto, same endpoint), launch configuration and replication, through real boto3 clients."""

from __future__ import annotations

from typing import Any

import boto3

from mgn_emulator import EmulatorServer
from tests.harness.emulator import ManualClock, make_seed, server_entry
from tests.harness.emulator import server_id as sid


def clients(emu: EmulatorServer) -> tuple[Any, Any]:
    kw: dict[str, Any] = {"endpoint_url": emu.url, "region_name": "us-east-1", "aws_access_key_id": "AKIDTEST",
                          "aws_secret_access_key": "x"}
    return boto3.client("mgn", **kw), boto3.client("ec2", **kw)


def test_replication_from_the_seed_and_the_launch_configuration() -> None:
    seed = make_seed([server_entry(1), {**server_entry(2), "replication": {"state": "STALLED", "lag_seconds": 90}}])
    with EmulatorServer(seed=seed) as emu:
        mgn, ec2 = clients(emu)
        info = {s["sourceServerID"]: s["dataReplicationInfo"] for s in mgn.describe_source_servers()["items"]}
        assert (info[sid(1)]["dataReplicationState"], info[sid(1)]["lagDuration"]) == ("CONTINUOUS", "PT0S")
        assert (info[sid(2)]["dataReplicationState"], info[sid(2)]["lagDuration"]) == ("STALLED", "PT90S")

        mgn.update_launch_configuration(sourceServerID=sid(1), launchDisposition="STOPPED", licensing={"osByol": True})
        config = mgn.get_launch_configuration(sourceServerID=sid(1))
        assert (config["launchDisposition"], config["licensing"]) == ("STOPPED", {"osByol": True})
        templates = ec2.describe_launch_templates(LaunchTemplateIds=[config["ec2LaunchTemplateID"]])
        assert len(templates["LaunchTemplates"]) == 1
        assert ("ec2", "DescribeLaunchTemplates") in {(c.service, c.operation) for c in emu.calls()}


def test_launches_run_instances_from_the_default_version_and_terminate_jobs_terminate_them() -> None:
    clock = ManualClock()
    with EmulatorServer(seed=make_seed([1]), clock=clock, launch_seconds=5) as emu:
        mgn, ec2 = clients(emu)
        template = mgn.get_launch_configuration(sourceServerID=sid(1))["ec2LaunchTemplateID"]
        subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
        version = ec2.create_launch_template_version(
            LaunchTemplateId=template,
            LaunchTemplateData={
                "InstanceType": "c5.large",
                "NetworkInterfaces": [{"DeviceIndex": 0, "SubnetId": subnet}],
                "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "a", "Value": "b"}]}],
            },
        )["LaunchTemplateVersion"]["VersionNumber"]
        ec2.modify_launch_template(LaunchTemplateId=template, DefaultVersion=str(version))

        mgn.start_test(sourceServerIDs=[sid(1)])
        clock.advance(10)
        job = mgn.describe_jobs()["items"][0]
        instance_id = job["participatingServers"][0]["launchedEc2InstanceID"]
        found = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
        assert (found["InstanceType"], found["SubnetId"]) == ("c5.large", subnet)
        assert {"Key": "a", "Value": "b"} in found["Tags"]
        statuses = ec2.describe_instance_status(InstanceIds=[instance_id])["InstanceStatuses"]
        assert [(s["SystemStatus"]["Status"], s["InstanceStatus"]["Status"]) for s in statuses] == [("ok", "ok")]

        mgn.change_server_life_cycle_state(sourceServerID=sid(1), lifeCycle={"state": "READY_FOR_CUTOVER"})
        mgn.terminate_target_instances(sourceServerIDs=[sid(1)])
        clock.advance(10)
        mgn.describe_jobs()
        found = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
        assert found["State"]["Name"] == "terminated"


def test_two_emulators_do_not_see_each_others_instances() -> None:
    with EmulatorServer(seed=make_seed([1])) as one, EmulatorServer(seed=make_seed([1])) as two:
        assert one.ec2.account_id != two.ec2.account_id
        mgn, _ = clients(one)
        template = mgn.get_launch_configuration(sourceServerID=sid(1))["ec2LaunchTemplateID"]
        _, other_ec2 = clients(two)
        assert template not in {t["LaunchTemplateId"] for t in other_ec2.describe_launch_templates()["LaunchTemplates"]}
