"""Every emulated operation, through a real boto3 client, on a manual clock (no sleeping)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from tests.harness.emulator import ManualClock, make_seed, mgn_client, server_entry, server_id

S1, S2, S3, FAIL, TESTED, NOT_READY = (server_id(n) for n in (1, 2, 3, 4, 5, 6))
SEED = make_seed(
    [
        server_entry(1, post_launch_actions=[{"name": "smoke-test", "must_succeed": True, "result": "SUCCESS"}]),
        server_entry(2, post_launch_actions=[{"name": "health", "must_succeed": True, "result": "FAILED"}]),
        server_entry(3),
        server_entry(4, launch="fail"),
        server_entry(5, state="READY_FOR_TEST"),
        server_entry(6, state="NOT_READY"),
    ]
)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def emu(clock: ManualClock) -> Iterator[EmulatorServer]:
    with EmulatorServer(seed=SEED, launch_seconds=10, post_launch_seconds=5, clock=clock) as server:
        yield server


@pytest.fixture
def client(emu: EmulatorServer) -> Any:
    return mgn_client(emu.url)


def server(client: Any, sid: str) -> dict[str, Any]:
    return client.describe_source_servers(filters={"sourceServerIDs": [sid]})["items"][0]


def job(client: Any, job_id: str) -> dict[str, Any]:
    return client.describe_jobs(filters={"jobIDs": [job_id]})["items"][0]


def test_start_cutover_job_lifecycle(client: Any, clock: ManualClock) -> None:
    response = client.start_cutover(sourceServerIDs=[S1, S3], tags={"wave": "1"})
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 202
    started = response["job"]
    assert started["jobID"].startswith("mgnjob-") and len(started["jobID"]) == 24
    assert started["arn"] == f"arn:aws:mgn:us-east-1:111122223333:job/{started['jobID']}"
    assert (started["type"], started["initiatedBy"], started["status"]) == ("LAUNCH", "START_CUTOVER", "PENDING")
    assert started["tags"] == {"wave": "1"}
    assert server(client, S1)["lifeCycle"]["state"] == "CUTTING_OVER"
    assert server(client, S1)["lifeCycle"]["lastCutover"]["initiated"]["jobID"] == started["jobID"]
    clock.advance(3)
    running = job(client, started["jobID"])
    assert running["status"] == "STARTED"
    assert {p["launchStatus"] for p in running["participatingServers"]} == {"IN_PROGRESS"}
    assert "endDateTime" not in running
    clock.advance(7)
    done = job(client, started["jobID"])
    assert done["status"] == "COMPLETED" and done["endDateTime"] > done["creationDateTime"]
    by_id = {p["sourceServerID"]: p for p in done["participatingServers"]}
    instance = by_id[S1]["launchedEc2InstanceID"]
    assert re.fullmatch(r"i-[0-9a-f]{17}", instance)
    s1 = server(client, S1)
    assert s1["lifeCycle"]["state"] == "CUTTING_OVER"
    assert s1["launchedInstance"] == {"ec2InstanceID": instance, "jobID": started["jobID"], "firstBoot": "SUCCEEDED"}


def test_post_launch_actions_outlive_the_job(client: Any, clock: ManualClock) -> None:
    job_id = client.start_cutover(sourceServerIDs=[S1, S2])["job"]["jobID"]
    clock.advance(10)
    done = job(client, job_id)
    assert done["status"] == "COMPLETED"
    statuses = {
        p["sourceServerID"]: p["postLaunchActionsStatus"]["postLaunchActionsLaunchStatusList"][0]
        for p in done["participatingServers"]
    }
    assert {s["executionStatus"] for s in statuses.values()} == {"IN_PROGRESS"}
    assert statuses[S1]["ssmDocument"]["actionName"] == "smoke-test"
    clock.advance(5)
    after = {
        p["sourceServerID"]: p["postLaunchActionsStatus"]["postLaunchActionsLaunchStatusList"][0]
        for p in job(client, job_id)["participatingServers"]
    }
    assert after[S1]["executionStatus"] == "SUCCESS"
    assert after[S2]["executionStatus"] == "FAILED" and "health" in after[S2]["failureReason"]
    with pytest.raises(client.exceptions.ConflictException, match="post-launch action health failed"):
        client.finalize_cutover(sourceServerID=S2)


def test_failed_launch_restores_state_and_logs(client: Any, clock: ManualClock) -> None:
    job_id = client.start_cutover(sourceServerIDs=[FAIL, S3])["job"]["jobID"]
    assert server(client, FAIL)["lifeCycle"]["state"] == "CUTTING_OVER"
    clock.advance(10)
    parts = {p["sourceServerID"]: p for p in job(client, job_id)["participatingServers"]}
    assert parts[FAIL]["launchStatus"] == "FAILED" and "launchedEc2InstanceID" not in parts[FAIL]
    assert parts[S3]["launchStatus"] == "LAUNCHED"
    failed = server(client, FAIL)
    assert failed["lifeCycle"]["state"] == "READY_FOR_CUTOVER"
    assert failed["lifeCycle"]["lastCutover"]["initiated"]["jobID"] == job_id
    assert "launchedInstance" not in failed
    log = client.describe_job_log_items(jobID=job_id)["items"]
    events = [item["event"] for item in log]
    assert events[0] == "JOB_START" and events[-1] == "JOB_END"
    (failure,) = [item for item in log if item["event"] == "LAUNCH_FAILED"]
    assert failure["eventData"]["sourceServerID"] == FAIL and failure["eventData"]["rawError"]


def test_start_test_and_reverts(client: Any, clock: ManualClock) -> None:
    job_id = client.start_test(sourceServerIDs=[TESTED])["job"]["jobID"]
    assert job(client, job_id)["initiatedBy"] == "START_TEST"
    assert server(client, TESTED)["lifeCycle"]["state"] == "TESTING"
    with pytest.raises(client.exceptions.ConflictException, match="still active"):
        client.change_server_life_cycle_state(sourceServerID=TESTED, lifeCycle={"state": "READY_FOR_TEST"})
    clock.advance(10)
    tested = server(client, TESTED)
    assert tested["lifeCycle"]["state"] == "TESTING" and tested["lifeCycle"]["lastTest"]["initiated"]["jobID"] == job_id
    reverted = client.change_server_life_cycle_state(sourceServerID=TESTED, lifeCycle={"state": "READY_FOR_TEST"})
    assert reverted["lifeCycle"]["state"] == "READY_FOR_TEST" and "reverted" in reverted["lifeCycle"]["lastTest"]
    client.start_test(sourceServerIDs=[TESTED])
    clock.advance(10)
    ready = client.change_server_life_cycle_state(sourceServerID=TESTED, lifeCycle={"state": "READY_FOR_CUTOVER"})
    assert ready["lifeCycle"]["state"] == "READY_FOR_CUTOVER" and "reverted" not in ready["lifeCycle"]["lastTest"]


def test_revert_cutover(client: Any, clock: ManualClock) -> None:
    client.start_cutover(sourceServerIDs=[S3])
    clock.advance(10)
    reverted = client.change_server_life_cycle_state(sourceServerID=S3, lifeCycle={"state": "READY_FOR_CUTOVER"})
    assert reverted["lifeCycle"]["state"] == "READY_FOR_CUTOVER"
    assert "apiCallDateTime" in reverted["lifeCycle"]["lastCutover"]["reverted"]
    with pytest.raises(client.exceptions.ConflictException, match="NOT_READY"):
        client.change_server_life_cycle_state(sourceServerID=NOT_READY, lifeCycle={"state": "READY_FOR_CUTOVER"})
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.change_server_life_cycle_state(sourceServerID=server_id(99), lifeCycle={"state": "READY_FOR_TEST"})


def test_finalize_then_archive(client: Any, clock: ManualClock) -> None:
    with pytest.raises(client.exceptions.ConflictException, match="CUTTING_OVER"):
        client.finalize_cutover(sourceServerID=S3)
    client.start_cutover(sourceServerIDs=[S3])
    with pytest.raises(client.exceptions.ConflictException, match="still active"):
        client.finalize_cutover(sourceServerID=S3)
    with pytest.raises(client.exceptions.ConflictException, match="DISCONNECTED or CUTOVER"):
        client.mark_as_archived(sourceServerID=S3)
    clock.advance(10)
    final = client.finalize_cutover(sourceServerID=S3)
    assert final["lifeCycle"]["state"] == "CUTOVER"
    assert "apiCallDateTime" in final["lifeCycle"]["lastCutover"]["finalized"]
    assert final["dataReplicationInfo"]["dataReplicationState"] == "DISCONNECTED"
    assert final["launchedInstance"]["ec2InstanceID"].startswith("i-")  # instances are kept
    with pytest.raises(client.exceptions.ConflictException):
        client.change_server_life_cycle_state(sourceServerID=S3, lifeCycle={"state": "READY_FOR_CUTOVER"})
    archived = client.mark_as_archived(sourceServerID=S3)
    assert archived["isArchived"] is True
    assert [s["sourceServerID"] for s in client.describe_source_servers(filters={"isArchived": True})["items"]] == [S3]
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.finalize_cutover(sourceServerID=server_id(99))
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.mark_as_archived(sourceServerID=server_id(99))


def test_terminate_target_instances(client: Any, clock: ManualClock) -> None:
    client.start_test(sourceServerIDs=[TESTED])
    clock.advance(10)
    for sid in (TESTED, S1):  # TESTING, then CUTTING_OVER
        if sid == S1:
            client.start_cutover(sourceServerIDs=[S1])
            clock.advance(10)
        with pytest.raises(client.exceptions.ConflictException) as caught:
            client.terminate_target_instances(sourceServerIDs=[sid])
        assert caught.value.response["errors"][0]["resourceId"] == sid
    client.change_server_life_cycle_state(sourceServerID=TESTED, lifeCycle={"state": "READY_FOR_CUTOVER"})
    response = client.terminate_target_instances(sourceServerIDs=[TESTED], tags={"why": "cleanup"})
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert (response["job"]["type"], response["job"]["initiatedBy"]) == ("TERMINATE", "TERMINATE")
    clock.advance(10)
    done = job(client, response["job"]["jobID"])
    assert done["participatingServers"][0]["launchStatus"] == "TERMINATED"
    assert "launchedInstance" not in server(client, TESTED)


def test_describe_jobs_newest_first_and_filters(client: Any, clock: ManualClock) -> None:
    ids = []
    for sid in (S1, S3, TESTED):
        ids.append(client.start_test(sourceServerIDs=[sid])["job"]["jobID"])
        clock.advance(1)
    listed = client.describe_jobs()["items"]
    assert [j["jobID"] for j in listed] == list(reversed(ids))
    assert [j["jobID"] for j in client.describe_jobs(filters={"jobIDs": [ids[0], ids[2]]})["items"]] == [ids[2], ids[0]]
    second = listed[1]["creationDateTime"]
    assert [j["jobID"] for j in client.describe_jobs(filters={"fromDate": second})["items"]] == [ids[2], ids[1]]
    assert [j["jobID"] for j in client.describe_jobs(filters={"toDate": second})["items"]] == [ids[1], ids[0]]


def test_jobs_started_at_the_same_instant_list_the_last_started_first(client: Any) -> None:
    first = client.start_test(sourceServerIDs=[S1])["job"]["jobID"]
    second = client.start_test(sourceServerIDs=[S3])["job"]["jobID"]  # the clock has not moved
    assert [j["jobID"] for j in client.describe_jobs()["items"]] == [second, first]


def test_describe_source_servers_filters(client: Any) -> None:
    everything = client.describe_source_servers()["items"]
    assert len(everything) == 6
    s1 = everything[0]
    assert s1["arn"] == f"arn:aws:mgn:us-east-1:111122223333:source-server/{S1}"
    assert s1["sourceProperties"]["identificationHints"]["hostname"] == "host-0001"
    states = client.describe_source_servers(filters={"lifeCycleStates": ["READY_FOR_TEST", "NOT_READY"]})["items"]
    assert sorted(s["sourceServerID"] for s in states) == [TESTED, NOT_READY]
    assert client.describe_source_servers(filters={"replicationTypes": ["SNAPSHOT_SHIPPING"]})["items"] == []
    assert len(client.describe_source_servers(filters={"isArchived": False})["items"]) == 6


def test_region_and_account_in_arns(clock: ManualClock) -> None:
    with EmulatorServer(seed={**SEED, "region": "eu-west-1", "account_id": "444455556666"}, clock=clock) as emu:
        client = mgn_client(emu.url, region="eu-west-1")
        started = client.start_test(sourceServerIDs=[S1], accountID="444455556666")["job"]
        assert started["arn"].startswith("arn:aws:mgn:eu-west-1:444455556666:job/")
        assert server(client, S2)["arn"] == f"arn:aws:mgn:eu-west-1:444455556666:source-server/{S2}"


def test_tags_on_jobs_and_servers(client: Any) -> None:
    job_arn = client.start_test(sourceServerIDs=[S1], tags={"a": "1"})["job"]["arn"]
    client.tag_resource(resourceArn=job_arn, tags={"b": "2"})
    assert client.list_tags_for_resource(resourceArn=job_arn)["tags"] == {"a": "1", "b": "2"}
    client.untag_resource(resourceArn=job_arn, tagKeys=["a", "missing"])
    assert client.list_tags_for_resource(resourceArn=job_arn)["tags"] == {"b": "2"}
    assert job(client, job_arn.rsplit("/", 1)[1])["tags"] == {"b": "2"}
    server_arn = server(client, S3)["arn"]
    client.tag_resource(resourceArn=server_arn, tags={"owner": "team"})
    assert server(client, S3)["tags"] == {"owner": "team"}
    missing = "arn:aws:mgn:us-east-1:111122223333:job/mgnjob-00000000000000000"
    for call in (
        lambda: client.list_tags_for_resource(resourceArn=missing),
        lambda: client.tag_resource(resourceArn=missing, tags={"a": "b"}),
        lambda: client.untag_resource(resourceArn=missing, tagKeys=["a"]),
    ):
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            call()


def test_a_resource_holds_at_most_50_tags(client: Any) -> None:
    job_arn = client.start_test(sourceServerIDs=[S1], tags={f"k{n}": "v" for n in range(30)})["job"]["arn"]
    client.tag_resource(resourceArn=job_arn, tags={f"k{n}": "w" for n in range(20, 50)})  # 50 in all
    with pytest.raises(client.exceptions.ValidationException) as caught:
        client.tag_resource(resourceArn=job_arn, tags={"one-more": "x"})
    assert caught.value.response["fieldList"][0]["name"] == "tags"
    assert len(client.list_tags_for_resource(resourceArn=job_arn)["tags"]) == 50


def test_call_log_records_operations(emu: EmulatorServer, client: Any) -> None:
    job_arn = client.start_test(sourceServerIDs=[S1])["job"]["arn"]
    client.list_tags_for_resource(resourceArn=job_arn)
    with pytest.raises(client.exceptions.ConflictException):
        client.start_test(sourceServerIDs=[S1])
    calls = emu.calls()
    assert [(c.operation, c.status) for c in calls] == [
        ("StartTest", 202),
        ("ListTagsForResource", 200),
        ("StartTest", 409),
    ]
    assert calls[0].body == {"sourceServerIDs": [S1]}
    assert calls[1].body == {"resourceArn": job_arn}
    assert emu.call_count("StartTest") == 2
    emu.clear_calls()
    assert emu.calls() == []
