"""EC2 answers the launch target cannot use: each is one sentence naming the server, the template or the instances
and what to do; never a Python exception's text, never called temporary, never retried.

Real boto3 clients talk over HTTP to an endpoint that answers as real EC2 does (XML, EC2's error codes).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from mgn_resources.aws import Connection, build_client
from mgn_resources.aws.target import TargetApi
from mgn_resources.errors import (
    ConnectionSettingsError,
    InstanceNotFoundError,
    MgnCutoverError,
    TemplateNotFoundError,
    TransientApiError,
)
from tests.harness.canned import CannedMgn
from tests.harness.canned_ec2 import (
    CannedEc2,
    ec2_error,
    instance_ids,
    instances_not_found,
    not_json_xml,
    statuses,
    template_versions,
)

SERVER = "s-0a1b2c3d4e5f6a7b8"
TEMPLATE = "lt-098c8790e8e45c7f3"
INSTANCES = ["i-07e0559b366d0e404", "i-0a1b2c3d4e5f6a7b8"]
PYTHON_TEXTS = ("list index out of range", "KeyError", "IndexError", "Traceback")
MAY_SUCCEED = ("retries may succeed", "usually temporary", "shortly")


@pytest.fixture
def mgn() -> Iterator[Any]:
    with CannedMgn({}) as canned:
        yield build_client(Connection(region="us-east-1", endpoint_url=canned.url))


def target(mgn: Any, ec2: CannedEc2, client: Any = None) -> TargetApi:
    return TargetApi(mgn, client or ec2.client())


def assert_usable_sentence(error: MgnCutoverError, *names: str) -> None:
    text = str(error)
    assert not isinstance(error, TransientApiError), text
    assert all(name in text for name in names), text
    assert not any(p in text for p in PYTHON_TEXTS + MAY_SUCCEED), text
    assert text.endswith(".") and text.count("\n") == 0, text


def test_an_empty_launch_template_versions_names_server_and_template(mgn: Any) -> None:
    with CannedEc2({"DescribeLaunchTemplateVersions": template_versions()}) as ec2:
        with pytest.raises(TemplateNotFoundError) as raised:
            target(mgn, ec2).template_version(TEMPLATE, server=SERVER)
    assert_usable_sentence(raised.value, SERVER, TEMPLATE, "listed no version $Default")
    assert (raised.value.source_server_id, raised.value.template_id) == (SERVER, TEMPLATE)


@pytest.mark.parametrize(
    "code", ["InvalidLaunchTemplateId.NotFound", "InvalidLaunchTemplateName.NotFoundException"]
)
def test_a_launch_template_ec2_does_not_know_names_server_and_template(mgn: Any, code: str) -> None:
    refused = ec2_error(code, f"The specified launch template, with template ID {TEMPLATE}, does not exist.")
    with CannedEc2({"DescribeLaunchTemplateVersions": refused, "ModifyLaunchTemplate": refused}) as ec2:
        with pytest.raises(TemplateNotFoundError) as described:
            target(mgn, ec2).template_version(TEMPLATE, server=SERVER)
        with pytest.raises(TemplateNotFoundError) as modified:
            target(mgn, ec2).set_default_version(TEMPLATE, 3, server=SERVER)
    for raised in (described, modified):
        assert_usable_sentence(raised.value, f"EC2 does not know launch template {TEMPLATE}", SERVER, code)
        assert raised.value.code == code


def test_instances_ec2_does_not_know_are_named_alone(mgn: Any) -> None:
    def describe(params: Any) -> Any:
        asked = instance_ids(params)
        return instances_not_found(asked[1:]) if len(asked) > 1 else statuses(dict.fromkeys(asked, "running"))

    with CannedEc2({"DescribeInstanceStatus": describe}) as ec2:
        with pytest.raises(InstanceNotFoundError) as raised:
            target(mgn, ec2).instance_health(INSTANCES)
        assert target(mgn, ec2).instance_health(INSTANCES[:1])[INSTANCES[0]].state == "running"
    assert_usable_sentence(raised.value, f"EC2 does not know instance {INSTANCES[1]}", "InvalidInstanceID.NotFound")
    assert INSTANCES[0] not in str(raised.value)
    assert raised.value.instance_ids == (INSTANCES[1],)


@pytest.mark.parametrize("status", [200, 400, 500])
def test_a_body_that_is_not_ec2_xml_names_the_endpoint_and_is_not_retried(mgn: Any, status: int) -> None:
    with CannedEc2({"DescribeLaunchTemplateVersions": not_json_xml(status)}) as ec2:
        # Retries as in production: an unusable answer must not be asked again.
        client = boto3.client(
            "ec2", endpoint_url=ec2.url, region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t",
            config=Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=1, read_timeout=2),
        )
        with pytest.raises(ConnectionSettingsError) as raised:
            target(mgn, ec2, client).template_version(TEMPLATE, server=SERVER)
        assert ec2.actions() == ["DescribeLaunchTemplateVersions"]
    assert_usable_sentence(raised.value, SERVER, TEMPLATE, ec2.url, "not EC2's response", "endpoint_url")
    assert "Unable to parse" not in str(raised.value) and "EC2 is not served here" not in str(raised.value)
    assert raised.value.setting == "endpoint_url"
