"""Setup errors are not outages: a refused connection, a host name that does not resolve, a TLS failure and a region
MGN does not serve each name the endpoint or region and the setting to fix; throttling and 5xx stay transient."""

from __future__ import annotations

import pytest
from botocore.config import Config

from mgn_resources.aws import Connection, MgnApi, TransientApiError, build_client
from mgn_resources.errors import ConnectionSettingsError, MgnApiError
from tests.harness.canned import CannedMgn, error
from tests.harness.loopback import free_port

JOB = "mgnjob-0a1b2c3d4e5f6a7b8"
ONE_ATTEMPT = Config(retries={"mode": "standard", "max_attempts": 1}, connect_timeout=2, read_timeout=2)


def api(region: str = "us-east-1", endpoint_url: str = "") -> MgnApi:
    return MgnApi(build_client(Connection(region=region, endpoint_url=endpoint_url), config=ONE_ATTEMPT))


def test_a_refused_connection_names_the_endpoint_and_the_setting() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(ConnectionSettingsError) as caught:
        api(endpoint_url=url).describe_jobs([JOB])
    assert caught.value.setting == "endpoint_url" and caught.value.endpoint == url
    text = str(caught.value)
    assert url in text and "refused" in text and "endpoint_url" in text and "usually temporary" not in text


def test_a_host_name_that_does_not_resolve_names_it() -> None:
    with pytest.raises(ConnectionSettingsError) as caught:
        api(endpoint_url="http://mgn.example.invalid").describe_jobs([JOB])
    text = str(caught.value)
    assert "mgn.example.invalid does not resolve" in text and "endpoint_url" in text
    assert "us-east-1" in text  # the region in use, in case it is the setting at fault


def test_a_region_mgn_does_not_serve_names_the_region() -> None:
    with pytest.raises(ConnectionSettingsError) as caught:
        api(region="eu-wst-1").describe_jobs([JOB])
    assert caught.value.setting == "region"
    text = str(caught.value)
    assert "'eu-wst-1'" in text and "https://mgn.eu-wst-1.amazonaws.com" in text and "fix region" in text


def test_a_tls_failure_names_the_endpoint(canned: CannedMgn) -> None:
    url = canned.url.replace("http://", "https://")  # TLS to a plain HTTP endpoint
    with pytest.raises(ConnectionSettingsError) as caught:
        api(endpoint_url=url).describe_jobs([JOB])
    text = str(caught.value)
    assert "TLS" in text and url in text and "endpoint_url" in text


@pytest.mark.slow
@pytest.mark.parametrize(
    ("error_type", "status"), [("ThrottlingException", 429), ("InternalServerException", 500), ("", 503)]
)
def test_throttling_and_server_errors_stay_transient(canned: CannedMgn, error_type: str, status: int) -> None:
    canned.replies["DescribeJobs"] = error(error_type, status, message="slow down")
    with pytest.raises(TransientApiError, match="usually temporary"):
        api(endpoint_url=canned.url).describe_jobs([JOB])


def test_a_request_the_model_refuses_is_not_reported_as_an_outage(canned: CannedMgn) -> None:
    with pytest.raises(MgnApiError) as caught:
        api(endpoint_url=canned.url).describe_jobs(["mgnjob-1"])  # shorter than the model's 24 characters
    assert not isinstance(caught.value, TransientApiError) and "usually temporary" not in str(caught.value)
    assert canned.calls == []
