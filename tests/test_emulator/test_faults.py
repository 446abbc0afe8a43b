"""Each fault knob: from the Python API, the seed, and the admin route."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mgn_emulator import EmulatorServer, FaultSettings
from mgn_emulator.admin import AdminRoutes
from mgn_emulator.responses import WireRequest
from tests.harness.emulator import ManualClock, admin_call, make_seed, mgn_client, server_id


@pytest.mark.slow
def test_throttle_next_is_retried_by_standard_mode(emulator: EmulatorServer) -> None:
    emulator.set_faults(throttle_next=2, retry_after=0)
    client = mgn_client(emulator.url, attempts=3)
    assert client.describe_jobs()["ResponseMetadata"]["RetryAttempts"] == 2
    assert [c.status for c in emulator.calls()] == [429, 429, 200]


def test_throttle_rate_every_call(emulator: EmulatorServer, mgn_client: Any) -> None:
    emulator.set_faults(throttle_rate=1.0)
    for _ in range(3):
        with pytest.raises(mgn_client.exceptions.ThrottlingException) as caught:
            mgn_client.describe_source_servers()
    assert caught.value.response["ResponseMetadata"]["HTTPHeaders"]["retry-after"] == "1"
    emulator.set_faults()
    mgn_client.describe_source_servers()


def test_error_rate_and_next(emulator: EmulatorServer, mgn_client: Any) -> None:
    emulator.set_faults(error_rate=1.0)
    with pytest.raises(mgn_client.exceptions.InternalServerException):
        mgn_client.describe_jobs()
    emulator.set_faults(error_next=1)
    with pytest.raises(mgn_client.exceptions.InternalServerException):
        mgn_client.describe_jobs()
    mgn_client.describe_jobs()


def test_faults_scoped_to_operations(emulator: EmulatorServer, mgn_client: Any) -> None:
    emulator.set_faults(throttle_rate=1.0, operations=["DescribeJobs"])
    mgn_client.describe_source_servers()
    with pytest.raises(mgn_client.exceptions.ThrottlingException):
        mgn_client.describe_jobs()


def test_latency_applies_to_the_operations_in_scope() -> None:
    clock = ManualClock()
    faults = FaultSettings(latency_seconds=0.2, operations=("DescribeJobs",))
    with EmulatorServer(seed=make_seed([1]), clock=clock, faults=faults) as emu:
        client = mgn_client(emu.url)
        before = clock.monotonic()
        client.describe_source_servers()
        assert clock.monotonic() == before  # not in scope: no delay
        client.describe_jobs()
        assert clock.monotonic() - before == pytest.approx(0.2)


def test_latency_uses_the_injected_clock() -> None:
    clock = ManualClock()
    with EmulatorServer(seed=make_seed([1]), clock=clock, faults=FaultSettings(latency_seconds=30)) as emu:
        before = clock.now()
        mgn_client(emu.url).describe_jobs()
        assert (clock.now() - before).total_seconds() == 30


def test_invisible_jobs() -> None:
    clock = ManualClock()  # no wall-clock window between the start and the first read
    with EmulatorServer(seed=make_seed([1]), clock=clock, faults=FaultSettings(invisible_seconds=0.3)) as emu:
        client = mgn_client(emu.url)
        job_id = client.start_test(sourceServerIDs=[server_id(1)])["job"]["jobID"]
        clock.advance(0.29)
        assert client.describe_jobs(filters={"jobIDs": [job_id]})["items"] == []
        clock.advance(0.01)
        assert [j["jobID"] for j in client.describe_jobs()["items"]] == [job_id]


def test_never_complete_holds_the_jobs_started_while_it_is_set() -> None:
    clock = ManualClock()
    with EmulatorServer(seed=make_seed([1, 2]), clock=clock, launch_seconds=0.3) as emu:
        client = mgn_client(emu.url)
        emu.set_faults(never_complete=True)
        stuck = client.start_cutover(sourceServerIDs=[server_id(1)])["job"]["jobID"]
        emu.set_faults()
        normal = client.start_cutover(sourceServerIDs=[server_id(2)])["job"]["jobID"]
        clock.advance(3600)  # an hour of the emulator's time for a 0.3 s launch
        statuses = {j["jobID"]: j["status"] for j in client.describe_jobs()["items"]}
        assert statuses == {stuck: "STARTED", normal: "COMPLETED"}


def test_failing_server_and_actions_from_add_server() -> None:
    clock = ManualClock()
    with EmulatorServer(clock=clock, launch_seconds=0.3, post_launch_seconds=0.3) as emulator:
        mgn_client_ = mgn_client(emulator.url)
        _failing_server_and_actions(emulator, mgn_client_, clock)


def _failing_server_and_actions(emulator: EmulatorServer, mgn_client: Any, clock: ManualClock) -> None:
    emulator.add_server(server_id(8), launch="fail")
    emulator.add_server(server_id(9), post_launch_actions=[{"name": "check", "must_succeed": True, "result": "FAILED"}])
    job_id = mgn_client.start_cutover(sourceServerIDs=[server_id(8), server_id(9)])["job"]["jobID"]
    clock.advance(0.3)  # the launch
    action = mgn_client.describe_jobs()["items"][0]["participatingServers"][1]["postLaunchActionsStatus"]
    assert action["postLaunchActionsLaunchStatusList"][0]["executionStatus"] == "IN_PROGRESS"
    clock.advance(0.3)  # then the post-launch actions
    parts = {p["sourceServerID"]: p for p in mgn_client.describe_jobs()["items"][0]["participatingServers"]}
    assert parts[server_id(8)]["launchStatus"] == "FAILED"
    action = parts[server_id(9)]["postLaunchActionsStatus"]["postLaunchActionsLaunchStatusList"][0]
    assert action["executionStatus"] == "FAILED"
    assert [i["event"] for i in mgn_client.describe_job_log_items(jobID=job_id)["items"]].count("LAUNCH_FAILED") == 1


def test_faults_from_the_seed() -> None:
    seed = make_seed([1], faults={"throttle_next": 1, "retry_after": 0}, launch_seconds=5)
    with EmulatorServer(seed=seed) as emu:
        assert emu.backend.launch_seconds == 5
        client = mgn_client(emu.url)
        with pytest.raises(client.exceptions.ThrottlingException):
            client.describe_jobs()
        client.describe_jobs()


def test_admin_routes(emulator: EmulatorServer, mgn_client: Any) -> None:
    status, body = admin_call(emulator.url, "faults", "POST", {"error_next": 1})
    assert status == 200 and body["error_next"] == 1
    assert admin_call(emulator.url, "faults")[1]["error_next"] == 1
    with pytest.raises(mgn_client.exceptions.InternalServerException):
        mgn_client.describe_jobs()
    assert admin_call(emulator.url, "faults", "POST", {"bogus": 1})[0] == 400
    status, body = admin_call(emulator.url, "servers", "POST", {"id": server_id(50), "state": "READY_FOR_TEST"})
    assert status == 200
    assert mgn_client.describe_source_servers(filters={"sourceServerIDs": [server_id(50)]})["items"]
    status, body = admin_call(emulator.url, "servers", "POST", {"id": "s-bad", "state": "READY_FOR_TEST"})
    assert status == 400 and "s-bad" in body["message"]
    calls = admin_call(emulator.url, "calls")[1]["calls"]
    assert [c["operation"] for c in calls] == ["DescribeJobs", "DescribeSourceServers"]  # admin calls not logged
    assert calls[0]["status"] == 500
    assert admin_call(emulator.url, "calls", "DELETE")[0] == 200
    assert emulator.calls() == []
    (stored,) = admin_call(emulator.url, "state")[1]["backends"]
    assert (stored["account_id"], stored["region"]) == ("111122223333", "us-east-1")
    assert server_id(50) in {s["server_id"] for s in stored["servers"]}
    assert admin_call(emulator.url, "nothing")[0] == 404


def test_admin_refuses_remote_clients(emulator: EmulatorServer) -> None:
    routes = AdminRoutes(emulator.store, emulator.faults, emulator.call_log)
    local = {"host": "localhost:4599"}
    response = routes.handle(WireRequest("GET", "/_emulator/calls", headers=local, remote_addr="192.0.2.10"))
    assert response.status == 403 and b"loopback" in response.body
    assert routes.handle(WireRequest("GET", "/_emulator/calls", headers=local, remote_addr="::1")).status == 200


def test_bad_fault_values_are_refused(emulator: EmulatorServer) -> None:
    with pytest.raises(ValueError, match="throttle_rate"):
        emulator.set_faults(throttle_rate=2.0)
    with pytest.raises(ValueError, match="unknown key"):
        emulator.set_faults(nonsense=1)


def test_denied_operations_answer_access_denied(emulator: EmulatorServer, mgn_client: Any) -> None:
    emulator.set_faults(deny_operations=["StartCutover"])
    with pytest.raises(mgn_client.exceptions.AccessDeniedException) as caught:
        mgn_client.start_cutover(sourceServerIDs=[server_id(1)])
    assert "mgn:StartCutover" in caught.value.response["Error"]["Message"]
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    mgn_client.describe_jobs()  # other operations are allowed


def test_uninitialized_account_only_where_the_model_allows_it(emulator: EmulatorServer, mgn_client: Any) -> None:
    emulator.set_faults(uninitialized=True)
    with pytest.raises(mgn_client.exceptions.UninitializedAccountException):
        mgn_client.describe_source_servers()
    # ListTagsForResource's model does not list UninitializedAccountException: it answers as usual.
    with pytest.raises(mgn_client.exceptions.ResourceNotFoundException):
        mgn_client.list_tags_for_resource(resourceArn="arn:aws:mgn:us-east-1:111122223333:job/mgnjob-0000000000000000a")


def test_default_page_size_is_settable(emulator: EmulatorServer, mgn_client: Any) -> None:
    emulator.backend.page_size = 2
    first = mgn_client.describe_source_servers()
    assert len(first["items"]) == 2 and first["nextToken"]
    pages = list(mgn_client.get_paginator("describe_source_servers").paginate())
    assert sum(len(p["items"]) for p in pages) == 3 and len(pages) == 2


def test_call_log_names_the_caller_but_never_the_secret(emulator: EmulatorServer) -> None:
    import boto3

    client = boto3.client(
        "mgn",
        endpoint_url=emulator.url,
        region_name="us-east-1",
        aws_access_key_id="AKIDCALLERONE",
        aws_secret_access_key="very-secret-key",
    )
    client.describe_jobs()
    (record,) = emulator.calls()
    assert record.access_key == "AKIDCALLERONE"
    assert "Boto3" in record.user_agent
    assert "very-secret-key" not in json.dumps(record.to_dict())


def test_lose_reply_next_acts_then_answers_500(emulator: EmulatorServer, mgn_client: Any) -> None:
    emulator.set_faults(lose_reply_next=1, operations=["StartCutover"])
    with pytest.raises(mgn_client.exceptions.InternalServerException):
        mgn_client.start_cutover(sourceServerIDs=[server_id(1)])
    (started,) = mgn_client.describe_jobs()["items"]  # it was carried out all the same
    assert [s["sourceServerID"] for s in started["participatingServers"]] == [server_id(1)]
    mgn_client.start_cutover(sourceServerIDs=[server_id(2)])  # only the next call loses its reply
