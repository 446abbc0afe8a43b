"""The target as code, through the real host and the emulator's EC2: LaunchSettings, the replication gate,
the healthy-instance wait, and terminate on delete reaching the EC2 instances."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from mgn_emulator import EmulatorServer
from tests.harness import HostError, ProviderHost
from tests.harness.mgn import REGION, SEED, SERVERS, start_host, up

SERVER = SERVERS[1]  # READY_FOR_CUTOVER in the seed


@pytest.fixture(scope="module")
def settings_host() -> Iterator[ProviderHost]:
    from mgn_resources import LaunchSettingsProvider

    with start_host(LaunchSettingsProvider()) as host:
        yield host


def ec2_client(emu: EmulatorServer) -> Any:
    return boto3.client(
        "ec2", endpoint_url=emu.url, region_name=REGION, aws_access_key_id="test", aws_secret_access_key="test"
    )


def instance(ec2: Any, instance_id: str) -> dict[str, Any]:
    return dict(ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0])


def cutover(emu: EmulatorServer, *ids: str, **overrides: Any) -> dict[str, Any]:
    return {"source_server_ids": list(ids), "endpoint_url": emu.url, "poll_interval_seconds": 0.05, **overrides}


@pytest.mark.slow
def test_launch_settings_then_a_cutover_launch_instances_of_that_type_and_subnet(
    settings_host: ProviderHost, cutover_host: ProviderHost, emu: EmulatorServer
) -> None:
    ec2 = ec2_client(emu)
    subnet = ec2.describe_subnets()["Subnets"][1]["SubnetId"]
    group = ec2.create_security_group(GroupName="web", Description="web")["GroupId"]
    _, settings = up(settings_host, {
        "source_server_id": SERVER, "endpoint_url": emu.url, "instance_type": "m5.large", "subnet_id": subnet,
        "security_group_ids": [group], "instance_tags": {"app": "web"}, "right_sizing": "NONE",
    })
    template = settings.outs["launch_template_id"]
    assert settings.outs["launch_template_version"] == settings.outs["previous_default_version"] + 1
    mgn_config = [c for c in emu.calls() if c.operation == "UpdateLaunchConfiguration"]
    assert mgn_config[-1].body["targetInstanceTypeRightSizingMethod"] == "NONE"

    _, cut = up(cutover_host, cutover(emu, SERVER))

    launched = instance(ec2, cut.outs["instance_ids"][0])
    assert (launched["InstanceType"], launched["SubnetId"]) == ("m5.large", subnet)
    assert [g["GroupId"] for g in launched["SecurityGroups"]] == [group]
    assert {"Key": "app", "Value": "web"} in launched["Tags"]
    default = ec2.describe_launch_template_versions(LaunchTemplateId=template, Versions=["$Default"])
    assert default["LaunchTemplateVersions"][0]["VersionNumber"] == settings.outs["launch_template_version"]


@pytest.mark.slow
def test_read_sees_a_default_version_changed_elsewhere_and_restore_puts_the_previous_back(
    settings_host: ProviderHost, emu: EmulatorServer
) -> None:
    ec2 = ec2_client(emu)
    news, created = up(settings_host, {
        "source_server_id": SERVER, "endpoint_url": emu.url, "instance_type": "c5.xlarge", "on_delete": "restore",
    })
    template, ours, previous = (created.outs[k] for k in (
        "launch_template_id", "launch_template_version", "previous_default_version"))
    other = ec2.create_launch_template_version(
        LaunchTemplateId=template, LaunchTemplateData={"InstanceType": "t3.nano"}
    )
    ec2.modify_launch_template(LaunchTemplateId=template,
                               DefaultVersion=str(other["LaunchTemplateVersion"]["VersionNumber"]))

    read = settings_host.read(created.id, created.outs)
    assert read.outs["default_version"] == other["LaunchTemplateVersion"]["VersionNumber"] != ours
    assert "changed elsewhere" in settings_host.stderr
    assert settings_host.diff(created.id, read.outs, news).changes

    settings_host.delete(created.id, read.outs)
    default = ec2.describe_launch_template_versions(LaunchTemplateId=template, Versions=["$Default"])
    assert default["LaunchTemplateVersions"][0]["VersionNumber"] == previous


@pytest.mark.slow
def test_a_stalled_server_is_refused_naming_its_state(cutover_host: ProviderHost, emu: EmulatorServer) -> None:
    emu.add_server(SERVERS[2], replication={"state": "STALLED", "lag_seconds": 30})
    checked = cutover_host.check({}, cutover(emu, SERVERS[2]))
    with pytest.raises(HostError) as refused:
        cutover_host.create(checked.inputs)
    assert f"{SERVERS[2]}'s data replication is STALLED, not CONTINUOUS" in refused.value.details
    assert emu.call_count("StartCutover") == 0


@pytest.mark.slow
def test_replication_lag_over_the_limit_is_refused_naming_the_lag(
    cutover_host: ProviderHost, emu: EmulatorServer
) -> None:
    emu.add_server(SERVERS[2], replication={"state": "CONTINUOUS", "lag_seconds": 600})
    checked = cutover_host.check({}, cutover(emu, SERVERS[2], max_replication_lag_seconds=60))
    with pytest.raises(HostError) as refused:
        cutover_host.create(checked.inputs)
    assert "replication lag is 600 s, over max_replication_lag_seconds=60" in refused.value.details
    _, within = up(cutover_host, cutover(emu, SERVERS[2], max_replication_lag_seconds=900))
    assert within.outs["job_status"] == "COMPLETED"


@pytest.mark.slow
def test_the_healthy_instance_wait_ends_when_status_checks_pass(
    cutover_host: ProviderHost, emu: EmulatorServer
) -> None:
    _, cut = up(cutover_host, cutover(emu, SERVERS[0], SERVER))
    checks = [c for c in emu.calls() if (c.service, c.operation) == ("ec2", "DescribeInstanceStatus")]
    assert checks and all(c.status == 200 for c in checks)
    assert f"Instances {', '.join(sorted(cut.outs['instance_ids']))} are running with status checks ok." in (
        cutover_host.stderr
    )


@pytest.mark.slow
def test_launches_with_disposition_stopped_are_not_waited_on(
    cutover_host: ProviderHost, emu: EmulatorServer
) -> None:
    mgn = boto3.client("mgn", endpoint_url=emu.url, region_name=REGION, aws_access_key_id="t",
                       aws_secret_access_key="t")
    mgn.update_launch_configuration(sourceServerID=SERVER, launchDisposition="STOPPED")
    _, cut = up(cutover_host, cutover(emu, SERVER))
    assert instance(ec2_client(emu), cut.outs["instance_ids"][0])["State"]["Name"] == "stopped"
    assert not [c for c in emu.calls() if c.operation == "DescribeInstanceStatus"]


@pytest.mark.slow
def test_a_stopped_instance_fails_the_wait_naming_it(cutover_host: ProviderHost) -> None:
    # The instance exists from the job's start (as in MGN); stopping it during the launch leaves nothing to wait for.
    with EmulatorServer(seed=SEED, launch_seconds=3.0) as emu:
        checked = cutover_host.check({}, cutover(emu, SERVER, timeout_seconds=60))
        failure: list[HostError] = []

        def create() -> None:
            try:
                cutover_host.create(checked.inputs)
            except HostError as exc:
                failure.append(exc)

        worker = threading.Thread(target=create)
        worker.start()
        launched = _wait_for_instance(emu)
        ec2_client(emu).stop_instances(InstanceIds=[launched])
        worker.join(60)
    assert failure, "the create should fail"
    assert f"Instance {launched} (source server {SERVER}) is stopped, not running" in failure[0].details


def _wait_for_instance(emu: EmulatorServer) -> str:
    for _ in range(400):
        jobs = emu.backend.jobs()
        if jobs and jobs[-1].servers[0].instance_id:
            return str(jobs[-1].servers[0].instance_id)
        time.sleep(0.05)
    raise AssertionError("no job started")


@pytest.mark.slow
def test_on_delete_terminate_terminates_the_ec2_instances(cutover_host: ProviderHost, emu: EmulatorServer) -> None:
    ec2 = ec2_client(emu)
    _, cut = up(cutover_host, cutover(emu, SERVERS[0], SERVER, on_delete="terminate", timeout_seconds=60))
    assert {instance(ec2, i)["State"]["Name"] for i in cut.outs["instance_ids"]} == {"running"}

    cutover_host.delete(cut.id, cut.outs)

    assert {instance(ec2, i)["State"]["Name"] for i in cut.outs["instance_ids"]} == {"terminated"}


@pytest.mark.slow
def test_refresh_and_destroy_of_settings_whose_template_ec2_no_longer_knows_say_so(
    settings_host: ProviderHost, emu: EmulatorServer
) -> None:
    _, created = up(settings_host, {
        "source_server_id": SERVER, "endpoint_url": emu.url, "instance_type": "m5.large", "on_delete": "restore",
    })
    template = created.outs["launch_template_id"]
    ec2_client(emu).delete_launch_template(LaunchTemplateId=template)

    with pytest.raises(HostError) as refreshed:
        settings_host.read(created.id, created.outs)
    with pytest.raises(HostError) as destroyed:
        settings_host.delete(created.id, created.outs)

    assert (
        f"Refresh of the LaunchSettings of source server {SERVER}: EC2 no longer knows launch template {template} "
        "(InvalidLaunchTemplateId.NotFound), so the settings it holds are not in force; run `pulumi state delete`"
    ) in refreshed.value.details
    assert (
        f"Destroy of the LaunchSettings of source server {SERVER} (on_delete restore): EC2 no longer knows launch "
        f"template {template} (InvalidLaunchTemplateName.NotFoundException), so its version "
        f"{int(created.outs['previous_default_version'])} cannot be made the default again"
    ) in destroyed.value.details
    for failed in (refreshed.value, destroyed.value):
        assert "Traceback" not in failed.details and "failed with" not in failed.details
