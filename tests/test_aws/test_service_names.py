"""Errors of the EC2 calls name EC2 and its IAM prefix; the MGN calls' errors keep naming MGN."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from mgn_resources.aws import Connection, TargetApi, ec2_client, mgn_client
from mgn_resources.aws.errors import Endpoint, translate
from mgn_resources.errors import ConnectionSettingsError, MgnApiError
from tests.harness.loopback import free_port


def denied(operation: str) -> ClientError:
    return ClientError(
        {"Error": {"Code": "UnauthorizedOperation", "Message": "not allowed"},
         "ResponseMetadata": {"HTTPStatusCode": 403}},
        operation,
    )


def test_an_ec2_permission_error_names_the_ec2_action() -> None:
    error = translate(denied("DescribeInstanceStatus"), "DescribeInstanceStatus", where=Endpoint(service="EC2"))
    assert isinstance(error, MgnApiError)
    assert str(error).startswith("EC2 denied DescribeInstanceStatus: the credentials lack ec2:DescribeInstanceStatus")


def test_an_mgn_permission_error_still_names_the_mgn_action() -> None:
    error = translate(denied("StartCutover"), "StartCutover")
    assert str(error).startswith("MGN denied StartCutover: the credentials lack mgn:StartCutover")


@pytest.mark.slow
def test_the_target_api_names_ec2_for_an_unreachable_ec2_endpoint() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    connection = Connection(region="us-east-1", endpoint_url=url)
    target = TargetApi(mgn_client(connection), ec2_client(connection))
    with pytest.raises(ConnectionSettingsError) as caught:
        target.instance_health(["i-0123456789abcdef0"])
    assert str(caught.value).startswith(f"EC2 DescribeInstanceStatus: {url} could not be reached")
