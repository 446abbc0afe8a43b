"""check refuses every input that cannot work, naming it: non-finite numbers and numbers over the README's bounds,
endpoint URLs that do not fully parse, unknown partitions, control characters in tags, regions MGN does not serve,
and contradictions. No AWS call."""

from __future__ import annotations

from typing import Any

import pytest

from mgn_resources import CutoverProvider, TestLaunchProvider
from mgn_resources.lifecycle.effective import StackSettings

GOOD = ["s-0a1b2c3d4e5f6a7b8"]
ROLE = "arn:aws:iam::123456789012:role/mgn-cutover"


def failures(news: dict[str, Any], provider: Any = None, stack: StackSettings | None = None) -> dict[str, str]:
    provider = provider or CutoverProvider()
    if stack is not None:
        provider.stack = stack
    result = provider.check({}, {"source_server_ids": GOOD, **news})
    return {f.property: f.reason for f in result.failures}


@pytest.mark.parametrize(
    ("news", "prop", "words"),
    [
        ({"timeout_seconds": float("inf")}, "timeout_seconds", "at most 86400"),
        ({"timeout_seconds": float("nan")}, "timeout_seconds", "greater than 0"),
        ({"timeout_seconds": 86401}, "timeout_seconds", "at most 86400"),
        ({"poll_interval_seconds": float("inf")}, "poll_interval_seconds", "at most 600"),
        ({"poll_interval_seconds": float("nan")}, "poll_interval_seconds", "at least 0.05"),
        ({"poll_interval_seconds": 601}, "poll_interval_seconds", "at most 600"),
        ({"endpoint_url": "http://[::1"}, "endpoint_url", "does not parse"),
        ({"endpoint_url": "http://127.0.0.1:70000"}, "endpoint_url", "port must be from 1 to 65535"),
        ({"endpoint_url": "http://127.0.0.1:0"}, "endpoint_url", "port"),
        ({"endpoint_url": "http://127.0.0.1:4599\x00"}, "endpoint_url", "control characters"),
        ({"endpoint_url": "http://127.0.0.1:4599/\tx"}, "endpoint_url", "whitespace"),
        ({"endpoint_url": "ftp://127.0.0.1"}, "endpoint_url", "http:// or https://"),
        ({"endpoint_url": "http://"}, "endpoint_url", "no host"),
        ({"role_arn": "arn:aws-moon:iam::123456789012:role/mgn-cutover"}, "role_arn", "partition 'aws-moon'"),
        ({"region": "us-gov-west-1"}, "role_arn", "region us-gov-west-1 is in aws-us-gov"),
        ({"tags": {"wave\x07": "1"}}, "tags", "control characters"),
        ({"tags": {"wave": "1\n2"}}, "tags", "control characters"),
        ({"finalize": True, "on_delete": "revert"}, "on_delete", "cannot undo a finalized cutover"),
        ({"finalize": True, "on_delete": "terminate"}, "on_delete", "cannot undo a finalized cutover"),
        ({"region": "eu-wst-1"}, "region", "did you mean eu-west-1"),
    ],
)
def test_input_that_cannot_work_is_refused_naming_the_input(news: dict[str, Any], prop: str, words: str) -> None:
    found = failures({"role_arn": ROLE, **news})
    assert prop in found, found
    assert words in found[prop]


@pytest.mark.parametrize(
    "url",
    [
        "http://admin:hunter2@127.0.0.1:4599",
        "http://admin:hunter2\uff0fx@mgn.example.com",  # urlsplit's own error would quote this netloc
    ],
)
def test_an_endpoint_with_a_password_is_refused_without_repeating_it(url: str) -> None:
    found = failures({"endpoint_url": url})
    assert "user info" in found["endpoint_url"]
    assert "hunter2" not in repr(found) and "admin" not in repr(found)


def test_a_url_that_does_not_parse_is_refused_without_quoting_the_parser() -> None:
    found = failures({"endpoint_url": "http://mgn\uff0fhunter2.example.com"})  # NFKC makes a / of the host
    assert "does not parse" in found["endpoint_url"] and "hunter2" not in repr(found)


@pytest.mark.parametrize(
    ("variable", "url"),
    [
        ("AWS_ENDPOINT_URL_MGN", "http://admin:hunter2@127.0.0.1:4599"),
        ("AWS_ENDPOINT_URL", "http://admin:hunter2@127.0.0.1:4599"),
        ("AWS_ENDPOINT_URL", "http://admin:hunter2\uff0fx@127.0.0.1:4599"),
    ],
)
def test_an_unusable_endpoint_from_any_variable_botocore_reads_is_refused_naming_it(
    monkeypatch: pytest.MonkeyPatch, variable: str, url: str
) -> None:
    monkeypatch.setenv(variable, url)
    found = failures({})
    assert f"{variable} is unusable" in found["endpoint_url"] and "hunter2" not in repr(found)


def test_an_unusable_endpoint_from_the_environment_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_MGN", "http://admin:hunter2@127.0.0.1:4599")
    found = failures({})
    assert "AWS_ENDPOINT_URL_MGN" in found["endpoint_url"] and "hunter2" not in repr(found)


@pytest.mark.parametrize(
    ("news", "stack", "env", "words"),
    [
        ({}, StackSettings(region="eu-wst-1"), {}, "aws:region is 'eu-wst-1'"),
        ({}, StackSettings(), {"AWS_REGION": "us-esat-1"}, "AWS_REGION is 'us-esat-1'"),
        ({}, StackSettings(), {"AWS_DEFAULT_REGION": ""}, "No AWS region is set"),
    ],
)
def test_the_region_is_checked_wherever_it_comes_from(
    monkeypatch: pytest.MonkeyPatch, news: dict[str, Any], stack: StackSettings, env: dict[str, str], words: str
) -> None:
    monkeypatch.delenv("AWS_REGION", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    found = failures(news, stack=stack)
    assert words in found.get("region", ""), found


def test_a_region_botocore_does_not_know_passes_with_an_endpoint_and_the_message_says_so() -> None:
    assert "endpoint_url" in failures({"region": "xx-local-1"})["region"]
    assert failures({"region": "xx-local-1", "endpoint_url": "http://127.0.0.1:4599"}) == {}


@pytest.mark.parametrize(
    "news",
    [
        {"timeout_seconds": 86400, "poll_interval_seconds": 600},
        {"finalize": True, "on_delete": "retain"},
        {"finalize": False, "on_delete": "terminate"},
        {"region": "us-gov-west-1", "role_arn": "arn:aws-us-gov:iam::123456789012:role/mgn-cutover"},
        {"endpoint_url": "https://mgn.vpce-0a1b.eu-west-1.vpce.amazonaws.com:8443/base"},
        {"endpoint_url": "http://[::1]:4599"},
        {"tags": {"owner": "ops team", "note": "üñí"}},
    ],
)
def test_what_can_work_passes(news: dict[str, Any]) -> None:
    assert failures(news) == {}


def test_a_test_launch_has_no_finalize_to_contradict() -> None:
    assert failures({"on_delete": "terminate"}, TestLaunchProvider()) == {}
