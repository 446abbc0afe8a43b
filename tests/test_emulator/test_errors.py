"""Each error class, as boto3 raises it, and the wire details behind it."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from tests.harness.emulator import make_seed, mgn_client, server_entry, server_id, signed_headers


def raw(url: str, method: str = "POST", body: bytes = b"{}") -> tuple[int, dict[str, str], Any]:
    """A SigV4-signed request with any body, past botocore's own checks."""
    headers = signed_headers(url, method, body, headers={"Content-Type": "application/json"})
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def test_validation_exception_names_the_field(emulator: EmulatorServer) -> None:
    client = mgn_client(emulator.url, parameter_validation=False)
    too_many = [server_id(n) for n in range(201)]
    with pytest.raises(client.exceptions.ValidationException) as caught:
        client.start_cutover(sourceServerIDs=too_many)
    response = caught.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["reason"] == "fieldValidationFailed"
    assert response["fieldList"][0]["name"] == "sourceServerIDs"
    assert "200" in response["fieldList"][0]["message"]
    with pytest.raises(client.exceptions.ValidationException) as caught:
        client.describe_jobs(filters={"jobIDs": ["mgnjob-not-a-valid-id-xx"]})
    assert caught.value.response["fieldList"][0]["name"] == "filters.jobIDs"


def test_a_date_no_calendar_has_is_a_validation_error_not_a_500(mgn_client: Any) -> None:
    # The model's pattern admits 2026-02-31; the emulator must refuse it, not fail with a (retryable) 500.
    for name in ("fromDate", "toDate"):
        with pytest.raises(mgn_client.exceptions.ValidationException) as caught:
            mgn_client.describe_jobs(filters={name: "2026-02-31T00:00:00Z"})
        assert caught.value.response["fieldList"][0]["name"] == f"filters.{name}"


def test_conflict_names_each_server_and_state(emulator: EmulatorServer, mgn_client: Any) -> None:
    emulator.add_server(server_id(7), state="NOT_READY")
    mgn_client.start_cutover(sourceServerIDs=[server_id(1)])
    with pytest.raises(mgn_client.exceptions.ConflictException) as caught:
        mgn_client.start_cutover(sourceServerIDs=[server_id(1), server_id(7), server_id(2)])
    response = caught.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 409
    errors = {e["resourceId"]: e for e in response["errors"]}
    assert set(errors) == {server_id(1), server_id(7)}
    assert all(e["code"] == "SOURCE_SERVER_STATE" and e["resourceType"] == "SOURCE_SERVER" for e in errors.values())
    assert "CUTTING_OVER" in errors[server_id(1)]["message"] and "mgnjob-" in errors[server_id(1)]["message"]
    assert "NOT_READY" in errors[server_id(7)]["message"]
    with pytest.raises(mgn_client.exceptions.ConflictException, match="does not exist"):
        mgn_client.start_test(sourceServerIDs=[server_id(999)])


@pytest.fixture
def emulator_seed() -> dict[str, Any]:
    return make_seed([server_entry(n) for n in range(1, 401)])


def test_concurrent_jobs_quota(emulator: EmulatorServer, mgn_client: Any) -> None:
    emulator.set_faults(never_complete=True)
    for n in range(1, 21):
        mgn_client.start_test(sourceServerIDs=[server_id(n)])
    with pytest.raises(mgn_client.exceptions.ConflictException) as caught:
        mgn_client.start_test(sourceServerIDs=[server_id(21)])
    assert [e["code"] for e in caught.value.response["errors"]] == ["CONCURRENT_JOBS_QUOTA"]
    assert "concurrent jobs" in caught.value.response["message"]


@pytest.mark.slow
def test_active_source_servers_quota(emulator: EmulatorServer, mgn_client: Any) -> None:
    emulator.set_faults(never_complete=True)
    mgn_client.start_cutover(sourceServerIDs=[server_id(n) for n in range(1, 151)])
    with pytest.raises(mgn_client.exceptions.ConflictException) as caught:
        mgn_client.start_cutover(sourceServerIDs=[server_id(n) for n in range(151, 252)])
    assert [e["code"] for e in caught.value.response["errors"]] == ["ACTIVE_SOURCE_SERVERS_QUOTA"]
    assert "source servers in active jobs" in caught.value.response["message"]
    mgn_client.start_cutover(sourceServerIDs=[server_id(n) for n in range(151, 201)])  # exactly 200 is fine


def test_throttling_and_internal_errors(emulator: EmulatorServer, mgn_client: Any) -> None:
    emulator.set_faults(throttle_next=1, error_next=1, retry_after=0)
    with pytest.raises(mgn_client.exceptions.ThrottlingException) as caught:
        mgn_client.describe_jobs()
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert caught.value.response["ResponseMetadata"]["HTTPHeaders"]["retry-after"] == "0"
    with pytest.raises(mgn_client.exceptions.InternalServerException) as caught_500:
        mgn_client.describe_jobs()
    assert caught_500.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    mgn_client.describe_jobs()


def test_not_emulated_operation(mgn_client: Any) -> None:
    with pytest.raises(mgn_client.exceptions.ValidationException) as caught:
        mgn_client.list_exports()
    assert caught.value.response["reason"] == "unknownOperation"
    assert caught.value.response["Error"]["Message"] == "ListExports is not emulated by the local MGN emulator"
    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 0


def test_unknown_path_and_bad_json_answer_json(emulator: EmulatorServer) -> None:
    status, headers, body = raw(f"{emulator.url}/NoSuchThing")
    assert status == 404 and headers["Content-Type"] == "application/json" and "NoSuchThing" in body["message"]
    status, headers, body = raw(f"{emulator.url}/DescribeJobs", body=b"{not json")
    assert (status, headers["x-amzn-ErrorType"], body["reason"]) == (400, "ValidationException", "cannotParse")
    status, _, body = raw(f"{emulator.url}/DescribeJobs", body=b"[]")
    assert (status, body["reason"]) == (400, "cannotParse")
    status, _, body = raw(f"{emulator.url}/DescribeJobs", body=b"")
    assert status == 200 and body == {"items": []}
