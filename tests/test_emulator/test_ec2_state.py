"""EC2 across restarts and crashes, EC2's error form, and the launch that EC2 refuses (real boto3 clients)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.parsers import create_parser

from mgn_emulator import EmulatorServer, ec2_state
from tests.harness.emulator import ManualClock, exchange, make_seed, port_of, request_bytes, server_entry
from tests.harness.emulator import server_id as sid

UNKNOWN_TEMPLATE = "lt-0123456789abcdef0"


def clients(url: str) -> tuple[Any, Any]:
    kw: dict[str, Any] = {"endpoint_url": url, "region_name": "us-east-1", "aws_access_key_id": "AKIDTEST",
                          "aws_secret_access_key": "x", "config": Config(retries={"total_max_attempts": 1})}
    return boto3.client("mgn", **kw), boto3.client("ec2", **kw)


def change_template(ec2: Any, template: str) -> int:
    """CreateLaunchTemplateVersion (m5.large) + ModifyLaunchTemplate: the change the library makes."""
    version = ec2.create_launch_template_version(
        LaunchTemplateId=template, LaunchTemplateData={"InstanceType": "m5.large"}
    )["LaunchTemplateVersion"]["VersionNumber"]
    ec2.modify_launch_template(LaunchTemplateId=template, DefaultVersion=str(version))
    return int(version)


def ec2_view(ec2: Any) -> dict[str, Any]:
    """What a restart must keep: templates with their versions and default, instances with their states."""
    templates = {
        t["LaunchTemplateId"]: (t["LaunchTemplateName"], t["DefaultVersionNumber"], t["LatestVersionNumber"])
        for t in ec2.describe_launch_templates()["LaunchTemplates"]
    }
    versions = {
        (v["LaunchTemplateId"], v["VersionNumber"]): v["LaunchTemplateData"].get("InstanceType")
        for tid in templates
        for v in ec2.describe_launch_template_versions(LaunchTemplateId=tid)["LaunchTemplateVersions"]
    }
    instances = {
        i["InstanceId"]: (i["State"]["Name"], i["InstanceType"])
        for r in ec2.describe_instances()["Reservations"]
        for i in r["Instances"]
    }
    return {"templates": templates, "versions": versions, "instances": instances,
            "vpcs": sorted(v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"])}


def forget_process(emu: EmulatorServer) -> None:
    """What a process exit does to moto: its EC2 memory is gone (so only the state file can bring it back)."""
    ec2_state.install(emu.ec2.account_id, {})


@pytest.mark.slow
def test_a_restart_keeps_templates_versions_default_instances_and_their_ids(tmp_path: Path) -> None:
    state, clock = tmp_path / "state.json", ManualClock()
    seed = make_seed([1, 2])
    with EmulatorServer(seed=seed, state_file=state, clock=clock, launch_seconds=1) as emu:
        mgn, ec2 = clients(emu.url)
        template = mgn.get_launch_configuration(sourceServerID=sid(1))["ec2LaunchTemplateID"]
        assert change_template(ec2, template) == 2
        mgn.update_launch_configuration(sourceServerID=sid(2), launchDisposition="STOPPED")
        mgn.start_test(sourceServerIDs=[sid(1), sid(2)])
        clock.advance(2)
        servers = {s["sourceServerID"]: s for s in mgn.describe_source_servers()["items"]}
        launched = {k: s["launchedInstance"]["ec2InstanceID"] for k, s in servers.items()}
        before, account = ec2_view(ec2), emu.ec2.account_id
    forget_process(emu)
    assert before["instances"] == {launched[sid(1)]: ("running", "m5.large"), launched[sid(2)]: ("stopped", "t3.micro")}

    with EmulatorServer(seed=seed, state_file=state, clock=clock, launch_seconds=1) as emu:
        mgn, ec2 = clients(emu.url)
        assert emu.ec2.account_id == account
        assert ec2_view(ec2) == before
        assert mgn.get_launch_configuration(sourceServerID=sid(1))["ec2LaunchTemplateID"] == template
        servers = {s["sourceServerID"]: s for s in mgn.describe_source_servers()["items"]}
        assert {k: s["launchedInstance"]["ec2InstanceID"] for k, s in servers.items()} == launched
        statuses = ec2.describe_instance_status(InstanceIds=[launched[sid(1)]])["InstanceStatuses"]
        assert [s["InstanceState"]["Name"] for s in statuses] == ["running"]
        # and the next launch still runs from the changed default version
        mgn.change_server_life_cycle_state(sourceServerID=sid(1), lifeCycle={"state": "READY_FOR_CUTOVER"})
        job = mgn.start_cutover(sourceServerIDs=[sid(1)])["job"]
        clock.advance(2)
        (done,) = mgn.describe_jobs(filters={"jobIDs": [job["jobID"]]})["items"]
        new = done["participatingServers"][0]["launchedEc2InstanceID"]
        found = ec2.describe_instances(InstanceIds=[new])["Reservations"][0]["Instances"][0]
        assert found["InstanceType"] == "m5.large"


def test_an_ec2_write_is_on_disk_before_it_is_answered_and_a_read_writes_nothing(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with EmulatorServer(seed=make_seed([1]), state_file=state) as emu:
        mgn, ec2 = clients(emu.url)
        template = mgn.get_launch_configuration(sourceServerID=sid(1))["ec2LaunchTemplateID"]
        ec2.create_launch_template_version(LaunchTemplateId=template, LaunchTemplateData={"InstanceType": "c5.xlarge"})
        part = json.loads(state.read_text())["ec2"]  # read before anything else could write it
        (backend,) = ec2_state.decode(part["backends"], part["account_id"]).values()
        assert [v.number for v in backend.launch_templates[template].versions] == [1, 2]

        written = os.stat(state).st_ino  # every save replaces the file
        ec2.describe_launch_templates()
        ec2.describe_launch_template_versions(LaunchTemplateId=template)
        ec2.describe_instances()
        assert os.stat(state).st_ino == written
        ec2.modify_launch_template(LaunchTemplateId=template, DefaultVersion="2")
        assert os.stat(state).st_ino != written


def test_a_save_that_only_changes_mgn_does_not_encode_ec2_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    encodings: list[str] = []
    real = ec2_state.encode
    monkeypatch.setattr(ec2_state, "encode", lambda account: encodings.append(account) or real(account))
    with EmulatorServer(seed=make_seed([1]), state_file=tmp_path / "state.json") as emu:
        mgn, ec2 = clients(emu.url)
        mgn.get_launch_configuration(sourceServerID=sid(1))  # creates the template: EC2 changed
        encodings.clear()
        mgn.update_launch_configuration(sourceServerID=sid(1), copyTags=True)
        mgn.tag_resource(resourceArn=mgn.describe_source_servers()["items"][0]["arn"], tags={"a": "b"})
        assert encodings == []
        ec2.create_tags(Resources=[emu.ec2.call("us-east-1", "DescribeVpcs", {})["Vpcs"][0]["VpcId"]],
                        Tags=[{"Key": "k", "Value": "v"}])
        assert encodings == [emu.ec2.account_id]


def test_an_ec2_write_that_cannot_be_saved_is_an_ec2_error_and_is_undone(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with EmulatorServer(seed=make_seed([1]), state_file=state) as emu:
        mgn, ec2 = clients(emu.url)
        template = mgn.get_launch_configuration(sourceServerID=sid(1))["ec2LaunchTemplateID"]
        state.unlink()
        state.mkdir()  # from now on the rename onto the state file fails
        with pytest.raises(ClientError) as failed:
            ec2.create_launch_template_version(LaunchTemplateId=template,
                                               LaunchTemplateData={"InstanceType": "m5.large"})
        assert failed.value.response["Error"]["Code"] == "InternalError"
        assert "was not carried out" in failed.value.response["Error"]["Message"]
        versions = ec2.describe_launch_template_versions(LaunchTemplateId=template)["LaunchTemplateVersions"]
        assert [v["VersionNumber"] for v in versions] == [1]
        state.rmdir()
        assert change_template(ec2, template) == 2  # the version number the undone write had taken is free again


# ---- EC2's protocol ------------------------------------------------------------------------------------------
def _with_host(ec2: Any, host: str) -> None:
    def rewrite(request: Any, **_: Any) -> None:
        request.headers["Host"] = host  # urllib3 sends this one instead of the endpoint's

    ec2.meta.events.register_first("before-send.ec2.*", rewrite)


def test_ec2_errors_are_ec2_errors_with_a_code(emulator: EmulatorServer) -> None:
    _, ec2 = clients(emulator.url)
    with pytest.raises(ClientError) as unknown:
        ec2.describe_launch_template_versions(LaunchTemplateId=UNKNOWN_TEMPLATE)
    assert unknown.value.response["Error"]["Code"] == "InvalidLaunchTemplateId.NotFound"

    _with_host(ec2, "rebound.example.com")
    with pytest.raises(ClientError) as refused:
        ec2.describe_instances()
    assert refused.value.response["Error"]["Code"] == "UnauthorizedOperation"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert "rebound.example.com" in refused.value.response["Error"]["Message"]


EC2_AUTH = "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0"


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "code"),
    [
        ("POST", "/", b"Action=Frobnicate&Version=2016-11-15", 404, "InvalidAction"),
        ("POST", "/StartCutover", b"{}", 404, "InvalidAction"),
        ("GET", "/", b"", 404, "InvalidAction"),
        ("POST", "/", b"Action=RunInstances&Version=2016-11-15&ImageId=ami-1&MinCount=x&MaxCount=1", 400,
         "InvalidParameterValue"),
    ],
)
def test_what_moto_cannot_serve_is_still_an_ec2_error(
    emulator: EmulatorServer, method: str, path: str, body: bytes, status: int, code: str
) -> None:
    port = port_of(emulator.url)
    headers = {"Host": f"127.0.0.1:{port}", "Authorization": EC2_AUTH, "Content-Length": str(len(body)),
               "Content-Type": "application/x-www-form-urlencoded", "Connection": "close"}
    reply = exchange(port, request_bytes(method, path, headers, body))
    assert reply.status == status and reply.headers["content-type"].startswith("text/xml"), reply
    parsed = create_parser("ec2").parse({"status_code": reply.status, "headers": reply.headers, "body": reply.body},
                                        None)
    assert parsed["Error"]["Code"] == code
    assert emulator.calls()[-1].service == "ec2" and emulator.calls()[-1].status == status


# ---- a launch EC2 refuses ------------------------------------------------------------------------------------
def _failed_launch(emu: EmulatorServer, clock: ManualClock) -> str:
    mgn, _ = clients(emu.url)
    job = mgn.start_test(sourceServerIDs=[sid(1)])["job"]
    clock.advance(2)
    (done,) = mgn.describe_jobs(filters={"jobIDs": [job["jobID"]]})["items"]
    assert done["status"] == "COMPLETED"
    assert done["participatingServers"][0]["launchStatus"] == "FAILED"
    assert mgn.describe_source_servers()["items"][0]["lifeCycle"]["state"] == "READY_FOR_CUTOVER"
    (failed,) = [e for e in mgn.describe_job_log_items(jobID=job["jobID"])["items"] if e["event"] == "LAUNCH_FAILED"]
    raw: str = failed["eventData"]["rawError"]
    assert sid(1) in raw
    return raw


def test_a_launch_from_a_template_ec2_does_not_know_fails_naming_server_and_template() -> None:
    clock = ManualClock()
    with EmulatorServer(seed=make_seed([server_entry(1)]), clock=clock, launch_seconds=1) as emu:
        mgn, ec2 = clients(emu.url)
        template = mgn.get_launch_configuration(sourceServerID=sid(1))["ec2LaunchTemplateID"]
        ec2.delete_launch_template(LaunchTemplateId=template)
        raw = _failed_launch(emu, clock)
        assert template in raw and "InvalidLaunchTemplateId.NotFound" in raw
        assert "list index" not in raw


def test_a_template_with_no_default_version_fails_the_launch_naming_server_and_template(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = ManualClock()
    with EmulatorServer(seed=make_seed([1]), clock=clock, launch_seconds=1) as emu:
        mgn, _ = clients(emu.url)
        template = mgn.get_launch_configuration(sourceServerID=sid(1))["ec2LaunchTemplateID"]
        real = emu.ec2.call

        def no_versions(region: str, operation: str, params: Any) -> dict[str, Any]:
            if operation == "DescribeLaunchTemplateVersions":
                return {"LaunchTemplateVersions": []}  # what an answer EC2 should never give looks like
            return real(region, operation, params)

        monkeypatch.setattr(emu.ec2, "call", no_versions)
        raw = _failed_launch(emu, clock)
        assert template in raw and "no default version" in raw


@pytest.mark.slow
def test_a_state_file_from_before_ec2_was_kept_gets_new_templates(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with EmulatorServer(seed=make_seed([1]), state_file=state) as emu:
        mgn, _ = clients(emu.url)
        old = mgn.get_launch_configuration(sourceServerID=sid(1))["ec2LaunchTemplateID"]
    data = json.loads(state.read_text())
    state.write_text(json.dumps({"format": "mgn-emulator-state/2", "backends": data["backends"]}))
    with EmulatorServer(state_file=state) as emu:
        mgn, ec2 = clients(emu.url)
        new = mgn.get_launch_configuration(sourceServerID=sid(1))["ec2LaunchTemplateID"]
        assert new != old  # the old one was in a moto that is gone; the server gets one EC2 has
        assert [t["LaunchTemplateId"] for t in ec2.describe_launch_templates()["LaunchTemplates"]] == [new]


def test_a_first_read_in_another_region_is_kept_with_its_ids(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with EmulatorServer(seed=make_seed([1]), state_file=state) as emu:
        ec2 = boto3.client("ec2", endpoint_url=emu.url, region_name="eu-west-1", aws_access_key_id="AKIDTEST",
                           aws_secret_access_key="x")
        vpcs = ec2.describe_vpcs()["Vpcs"]  # moto sets the region up here: its default VPC gets an ID now
    forget_process(emu)
    with EmulatorServer(state_file=state) as emu:
        ec2 = boto3.client("ec2", endpoint_url=emu.url, region_name="eu-west-1", aws_access_key_id="AKIDTEST",
                           aws_secret_access_key="x")
        assert [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]] == [v["VpcId"] for v in vpcs]
