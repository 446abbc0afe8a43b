"""A stack made with 0.1.0 still refreshes and destroys with this code, from a saved state file.

``tests/fixtures/stack-0.1.0.json`` is ``pulumi stack export`` of a stack deployed by the 0.1.0 release
(commit bc3c1bd): ``git worktree add /tmp/v010 bc3c1bd``, its ``.venv`` and ``.local/pulumi`` linked to this
checkout's, then, from /tmp/v010 (so the program, the provider and ``tests/harness/cli.py`` are 0.1.0's), the 0.1.0
emulator (``EmulatorServer(seed=make_seed([1]), launch_seconds=0.3)``) and ``CliProject.create(..., waves=[WAVE])``,
``select()``, ``up()``, ``pulumi stack export``. That made one LaunchSettings, one TestLaunch and one Cutover of
server 1; the file keeps them as exported, less each resource's ``stackTrace``/``sourcePosition``. Their
``__provider`` is 0.1.0's pickled provider (an import path under ``mgn_resources.provider``), which is what this
test proves still loads.

The fresh emulator here is made to hold what the saved state names: the same launches are run through boto3, and
their new job, instance and launch template IDs and the new endpoint replace the saved ones in the JSON before
``pulumi stack import``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import boto3
import pytest

from mgn_emulator import EmulatorServer
from tests.harness.cli import CliProject
from tests.harness.emulator import make_seed, server_id

pytestmark = pytest.mark.e2e

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "stack-0.1.0.json"
SERVER = server_id(1)
WAVE = {"name": "w1", "sourceServerIds": [SERVER], "test": True, "onDelete": "terminate",
        "launch": {"instanceType": "m5.large"}}


@pytest.fixture
def emulator_seed() -> dict[str, Any]:
    return make_seed([1])


def _client(service: str, url: str) -> Any:
    return boto3.client(service, endpoint_url=url, region_name="us-east-1", aws_access_key_id="t",
                        aws_secret_access_key="t")


def _finished(mgn: Any, job: dict[str, Any]) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = mgn.describe_jobs(filters={"jobIDs": [job["jobID"]]})["items"][0]
        if found["status"] == "COMPLETED":
            return dict(found)
        time.sleep(0.1)
    raise AssertionError(f"job {job['jobID']} did not complete")


def _instance(job: dict[str, Any]) -> str:
    return str(job["participatingServers"][0]["launchedEc2InstanceID"])


def recreate(url: str) -> dict[str, str]:
    """Run what the 0.1.0 stack ran, through boto3; the new IDs by their roles."""
    mgn, ec2 = _client("mgn", url), _client("ec2", url)
    template = mgn.get_launch_configuration(sourceServerID=SERVER)["ec2LaunchTemplateID"]
    version = ec2.create_launch_template_version(
        LaunchTemplateId=template, SourceVersion="1", LaunchTemplateData={"InstanceType": "m5.large"}
    )["LaunchTemplateVersion"]["VersionNumber"]
    ec2.modify_launch_template(LaunchTemplateId=template, DefaultVersion=str(version))
    test = _finished(mgn, mgn.start_test(sourceServerIDs=[SERVER])["job"])
    mgn.change_server_life_cycle_state(sourceServerID=SERVER, lifeCycle={"state": "READY_FOR_CUTOVER"})
    cutover = _finished(mgn, mgn.start_cutover(sourceServerIDs=[SERVER])["job"])
    return {
        "endpoint": url, "template": template, "test_job": test["jobID"], "test_instance": _instance(test),
        "cutover_job": cutover["jobID"], "cutover_instance": _instance(cutover),
    }


def saved_ids(exported: dict[str, Any]) -> dict[str, str]:
    """The same roles' IDs in the saved state."""
    outputs = {r["type"].rsplit(":", 1)[-1]: r["outputs"] for r in exported["deployment"]["resources"]}
    return {
        "endpoint": outputs["LaunchSettings"]["effective_endpoint_url"],
        "template": outputs["LaunchSettings"]["launch_template_id"],
        "test_job": outputs["TestLaunch"]["job_id"], "test_instance": outputs["TestLaunch"]["instance_ids"][0],
        "cutover_job": outputs["Cutover"]["job_id"], "cutover_instance": outputs["Cutover"]["instance_ids"][0],
    }


def test_a_stack_made_with_0_1_0_refreshes_and_destroys(tmp_path: Path, emulator: EmulatorServer) -> None:
    text = FIXTURE.read_text()
    old, new = saved_ids(json.loads(text)), recreate(emulator.url)
    for role, value in old.items():
        assert value and text.count(value) >= 1, role
        text = text.replace(value, new[role])
    state = tmp_path / "stack.json"
    state.write_text(text)
    project = CliProject.create(tmp_path, emulator.url, waves=[WAVE])
    project.select()
    project.pulumi("stack", "import", "--file", str(state), "--stack", "local")

    project.refresh()

    cutover = next(r for r in project.resources() if r["type"].endswith(":Cutover"))
    assert cutover["outputs"]["job_id"] == new["cutover_job"] and cutover["outputs"]["job_status"] == "COMPLETED"

    project.destroy()

    assert [r for r in project.resources() if r["type"].startswith("pulumi-python:dynamic/")] == []
    ec2 = _client("ec2", emulator.url)
    described = ec2.describe_instances(InstanceIds=[new["cutover_instance"]])["Reservations"]
    assert [i["State"]["Name"] for r in described for i in r["Instances"]] == ["terminated"]  # on_delete terminate
