"""Each server's launch is the unit of truth, through the real pulumi CLI against the emulator (MGN and its EC2).

Every scenario ends the same way: each server has exactly one running instance in the emulator's EC2, of the kind
the stack declares, and the stack's outputs name that instance.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

import boto3
import pytest

from mgn_emulator import EmulatorServer
from mgn_emulator.ec2 import SOURCE_SERVER_TAG
from tests.harness.cli import CliProject
from tests.harness.emulator import make_seed, server_id

pytestmark = pytest.mark.e2e

CUTOVER = "pulumi-python:dynamic/mgn:Cutover"
S1, S2, S3 = server_id(1), server_id(2), server_id(3)


@pytest.fixture
def emulator_seed() -> dict[str, Any]:
    return make_seed([1, 2, 3])


def wave(*servers: str, **extra: Any) -> dict[str, Any]:
    return {"name": "w1", "sourceServerIds": list(servers), **extra}


def project_with(tmp_path: Any, emulator: EmulatorServer, **extra: Any) -> CliProject:
    servers = extra.pop("servers", (S1, S2))
    project = CliProject.create(tmp_path, emulator.url, waves=[wave(*servers, **extra)])
    project.select()
    return project


def ec2_client(emulator: EmulatorServer) -> Any:
    return boto3.client(
        "ec2", endpoint_url=emulator.url, region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t"
    )


def started(emulator: EmulatorServer, operation: str = "StartCutover") -> list[list[str]]:
    return [c.body["sourceServerIDs"] for c in emulator.calls() if c.operation == operation]


def running_by_server(emulator: EmulatorServer) -> dict[str, list[str]]:
    """Source server ID -> its running instances, as the emulator's EC2 lists them (MGN tags each launch)."""
    running: dict[str, list[str]] = defaultdict(list)
    pages = ec2_client(emulator).get_paginator("describe_instances").paginate(
        Filters=[{"Name": "instance-state-name", "Values": ["running"]}]
    )
    for page in pages:
        for reservation in page["Reservations"]:
            for instance in reservation["Instances"]:
                tags = {t["Key"]: t["Value"] for t in instance.get("Tags", [])}
                running[tags.get(SOURCE_SERVER_TAG, "")].append(instance["InstanceId"])
    return dict(running)


def assert_one_running_instance_each(emulator: EmulatorServer, named: dict[str, str], servers: tuple[str, ...]) -> None:
    """Each server has exactly one running instance, and it is the one the outputs name."""
    assert set(named) == set(servers), named
    running = running_by_server(emulator)
    assert {sid: running.get(sid, []) for sid in servers} == {sid: [named[sid]] for sid in servers}


def cutover_state(project: CliProject) -> dict[str, Any]:
    (cutover,) = [r for r in project.resources() if r["type"] == CUTOVER]
    return dict(cutover["outputs"])


def wait_for_jobs(mgn_client: Any) -> None:
    deadline = time.monotonic() + 60
    while any(j["status"] != "COMPLETED" for j in mgn_client.describe_jobs()["items"]):
        assert time.monotonic() < deadline, "the emulator's jobs did not complete"
        time.sleep(0.2)


def test_a_partial_failure_keeps_the_launched_server_and_the_next_up_launches_only_the_failed_one(
    tmp_path: Any, emulator: EmulatorServer
) -> None:
    emulator.add_server(S2, launch="fail")
    project = project_with(tmp_path, emulator, onDelete="revert")

    failed = project.up(check=False)
    assert failed.returncode != 0
    said = failed.stdout + failed.stderr
    assert f"{S1} launched and stays launched" in said and f"which launches only {S2}" in said, said

    emulator.add_server(S2)  # the cause is fixed
    project.up()

    assert started(emulator) == [[S1, S2], [S2]]
    assert_one_running_instance_each(emulator, project.outputs()["instance_ids"]["w1"], (S1, S2))


def test_a_server_reverted_in_mgn_is_reported_at_refresh_and_the_next_up_launches_it_alone(
    tmp_path: Any, emulator: EmulatorServer, mgn_client: Any
) -> None:
    project = project_with(tmp_path, emulator, servers=(S1, S2, S3))
    project.up()
    first = project.outputs()["instance_ids"]["w1"]
    # The console's "Revert to ready for cutover", with its offer to terminate the launched instance taken.
    mgn_client.change_server_life_cycle_state(sourceServerID=S2, lifeCycle={"state": "READY_FOR_CUTOVER"})
    mgn_client.terminate_target_instances(sourceServerIDs=[S2])
    wait_for_jobs(mgn_client)

    refreshed = project.refresh()
    assert f"{S2} was reverted in MGN after job" in refreshed.stdout, refreshed.stdout
    state = cutover_state(project)
    assert state["pending_server_ids"] == [S2] and set(state["launched_instance_ids"]) == {S1, S3}

    project.up()

    assert started(emulator) == [[S1, S2, S3], [S2]]
    now = project.outputs()["instance_ids"]["w1"]
    assert (now[S1], now[S3]) == (first[S1], first[S3]) and now[S2] != first[S2]
    assert_one_running_instance_each(emulator, now, (S1, S2, S3))


def test_a_server_added_to_a_tested_wave_is_tested_and_cut_over_alone(tmp_path: Any, emulator: EmulatorServer) -> None:
    project = project_with(tmp_path, emulator, test=True, onDelete="revert")
    project.up()
    first = project.outputs()["instance_ids"]["w1"]

    project.configure(waves=[wave(S1, S2, S3, test=True, onDelete="revert")])
    preview = project.preview()
    assert "replace" not in preview.stdout and f"launches {S3} (added)" in preview.stdout, preview.stdout
    grown = project.up()
    assert "2 updated" in grown.stdout, grown.stdout

    assert started(emulator, "StartTest") == [[S1, S2], [S3]]
    assert started(emulator) == [[S1, S2], [S3]]
    now = project.outputs()["instance_ids"]["w1"]
    assert (now[S1], now[S2]) == (first[S1], first[S2])
    # MGN deletes a server's test instance when it launches its cutover: one instance each, the cutover's.
    assert_one_running_instance_each(emulator, now, (S1, S2, S3))
    # The test launch's outputs drop the test instances its cutover replaced once it reads them, and launch nothing.
    project.up()
    assert project.outputs()["test_instance_ids"]["w1"] == {}
    assert len(started(emulator, "StartTest")) == 2 and len(started(emulator)) == 2


def test_a_test_instance_terminated_outside_is_launched_again_by_the_next_up(
    tmp_path: Any, emulator: EmulatorServer
) -> None:
    emulator.add_server(S1, state="READY_FOR_TEST")
    emulator.add_server(S2, state="READY_FOR_TEST")
    project = project_with(tmp_path, emulator, test=True, cutover=False)
    project.up()
    tested = project.outputs()["test_instance_ids"]["w1"]
    ec2_client(emulator).terminate_instances(InstanceIds=[tested[S1]])

    again = project.up()  # Pulumi.yaml's refresh: always reads the terminated instance first

    assert f"{S1}'s test launch instance {tested[S1]} is terminated" in again.stdout, again.stdout
    assert started(emulator, "StartTest") == [[S1, S2], [S1]]
    now = project.outputs()["test_instance_ids"]["w1"]
    assert now[S2] == tested[S2] and now[S1] != tested[S1]
    assert_one_running_instance_each(emulator, now, (S1, S2))


def test_a_cutover_instance_terminated_outside_is_dropped_at_refresh_and_launched_again(
    tmp_path: Any, emulator: EmulatorServer
) -> None:
    project = project_with(tmp_path, emulator)
    project.up()
    first = project.outputs()["instance_ids"]["w1"]
    ec2_client(emulator).terminate_instances(InstanceIds=[first[S2]])

    refreshed = project.refresh()
    assert (
        f"{S2}'s cutover instance {first[S2]} is terminated; the next `pulumi up` launches {S2} again."
        in refreshed.stdout
    ), refreshed.stdout
    state = cutover_state(project)
    assert state["launched_instance_ids"] == {S1: first[S1]} and state["instance_ids"] == [first[S1]]

    project.up()

    assert started(emulator) == [[S1, S2], [S2]]
    now = project.outputs()["instance_ids"]["w1"]
    assert now[S1] == first[S1] and now[S2] != first[S2]
    assert_one_running_instance_each(emulator, now, (S1, S2))
