"""maxResults / nextToken through boto3's own paginators."""

from __future__ import annotations

from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from tests.harness.emulator import ManualClock, make_seed, mgn_client, server_id


@pytest.fixture
def emulator_seed() -> dict[str, Any]:
    return make_seed(range(1, 26))


def test_describe_source_servers_pages(mgn_client: Any) -> None:
    pages = list(mgn_client.get_paginator("describe_source_servers").paginate(PaginationConfig={"PageSize": 10}))
    assert [len(p["items"]) for p in pages] == [10, 10, 5]
    assert [s["sourceServerID"] for p in pages for s in p["items"]] == [server_id(n) for n in range(1, 26)]
    assert "nextToken" not in pages[-1]


def test_describe_jobs_and_log_items_pages(emulator: EmulatorServer, mgn_client: Any) -> None:
    ids = [mgn_client.start_test(sourceServerIDs=[server_id(n)])["job"]["jobID"] for n in range(1, 8)]
    pages = list(mgn_client.get_paginator("describe_jobs").paginate(PaginationConfig={"PageSize": 3}))
    assert [len(p["items"]) for p in pages] == [3, 3, 1]
    assert {j["jobID"] for p in pages for j in p["items"]} == set(ids)
    log_pages = list(
        mgn_client.get_paginator("describe_job_log_items").paginate(jobID=ids[0], PaginationConfig={"PageSize": 1})
    )
    assert [item["event"] for p in log_pages for item in p["items"]][0] == "JOB_START"
    assert all(len(p["items"]) <= 1 for p in log_pages)


def test_bad_token_is_a_validation_error(mgn_client: Any) -> None:
    with pytest.raises(mgn_client.exceptions.ValidationException) as caught:
        mgn_client.describe_source_servers(nextToken="garbage")
    assert caught.value.response["fieldList"][0]["name"] == "nextToken"


def test_max_results_bounds(emulator: EmulatorServer) -> None:
    client = mgn_client(emulator.url, parameter_validation=False)
    for bad in (0, 1001):
        with pytest.raises(client.exceptions.ValidationException) as caught:
            client.describe_jobs(maxResults=bad)
        assert caught.value.response["fieldList"][0]["name"] == "maxResults"


def test_a_token_is_bound_to_its_operation(mgn_client: Any) -> None:
    token = mgn_client.describe_source_servers(maxResults=10)["nextToken"]
    assert len(mgn_client.describe_source_servers(maxResults=10, nextToken=token)["items"]) == 10
    with pytest.raises(mgn_client.exceptions.ValidationException) as caught:
        mgn_client.describe_jobs(nextToken=token)
    (field,) = caught.value.response["fieldList"]
    assert field["name"] == "nextToken" and "DescribeSourceServers, not of DescribeJobs" in field["message"]


def test_a_token_is_bound_to_its_filters(mgn_client: Any) -> None:
    wanted = {"sourceServerIDs": [server_id(n) for n in range(1, 21)]}
    token = mgn_client.describe_source_servers(filters=wanted, maxResults=10)["nextToken"]
    second = mgn_client.describe_source_servers(filters=wanted, maxResults=10, nextToken=token)
    assert [s["sourceServerID"] for s in second["items"]] == [server_id(n) for n in range(11, 21)]
    for other in ({"sourceServerIDs": [server_id(1)]}, {"isArchived": False}, {}):
        with pytest.raises(mgn_client.exceptions.ValidationException) as caught:
            mgn_client.describe_source_servers(filters=other, maxResults=10, nextToken=token)
        assert "other parameters" in caught.value.response["fieldList"][0]["message"]


@pytest.mark.slow
def test_a_log_token_is_bound_to_its_job() -> None:
    clock = ManualClock()
    with EmulatorServer(seed=make_seed([1, 2]), clock=clock, launch_seconds=1.0) as emu:
        client = mgn_client(emu.url)
        first, second = (client.start_test(sourceServerIDs=[server_id(n)])["job"]["jobID"] for n in (1, 2))
        clock.advance(10)  # both jobs complete: their logs hold several items
        assert_log_token_bound(client, first, second)


def assert_log_token_bound(mgn_client: Any, first: str, second: str) -> None:
    token = mgn_client.describe_job_log_items(jobID=first, maxResults=1)["nextToken"]
    with pytest.raises(mgn_client.exceptions.ValidationException):
        mgn_client.describe_job_log_items(jobID=second, maxResults=1, nextToken=token)
    assert mgn_client.describe_job_log_items(jobID=first, maxResults=1, nextToken=token)["items"]
