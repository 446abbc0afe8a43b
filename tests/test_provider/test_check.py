"""check refuses bad input, naming the input, before anything launches; it fills in defaults; no AWS call."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown

from mgn_resources import CutoverProvider, TestLaunchProvider

GOOD = ["s-0a1b2c3d4e5f6a7b8", "s-0a1b2c3d4e5f6a7b9"]


def failures(news: dict[str, Any], provider: Any = None) -> dict[str, str]:
    result = (provider or CutoverProvider()).check({}, news)
    return {f.property: f.reason for f in result.failures}


def test_defaults_are_filled_in_and_integers_become_floats() -> None:
    result = CutoverProvider().check({}, {"source_server_ids": GOOD, "timeout_seconds": 600})
    assert not result.failures
    assert result.inputs == {
        "source_server_ids": GOOD,
        "tags": {},
        "timeout_seconds": 600.0,
        "poll_interval_seconds": 15.0,
        "wait_for_post_launch_actions": True,
        "wait_for_healthy_instances": True,
        "allow_revert_on_replace": False,
        "on_delete": "retain",
        "finalize": False,
        "require_successful_test": False,
    }


def test_test_launch_defaults_mark_ready() -> None:
    result = TestLaunchProvider().check({}, {"source_server_ids": GOOD})
    assert result.inputs["mark_ready_for_cutover"] is True and "finalize" not in result.inputs


@pytest.mark.parametrize(
    ("news", "prop", "words"),
    [
        ({}, "source_server_ids", "Set exactly one of source_server_ids, application_ids or wave_id; none is set."),
        ({"source_server_ids": []}, "source_server_ids", "empty"),
        ({"source_server_ids": ["s-123"]}, "source_server_ids", "s-123"),
        ({"source_server_ids": [GOOD[0], GOOD[0]]}, "source_server_ids", "more than once"),
        ({"source_server_ids": [f"s-{n:017d}" for n in range(201)]}, "source_server_ids", "limit of 200"),
        ({"tags": {f"k{n}": "v" for n in range(51)}}, "tags", "limit of 50"),
        ({"tags": {"k": "v" * 257}}, "tags", "over 256"),
        ({"tags": {"aws:owner": "x"}}, "tags", "reserved"),
        ({"tags": ["not", "a", "map"]}, "tags", "map"),
        ({"on_delete": "destroy"}, "on_delete", "retain, revert, terminate"),
        ({"timeout_seconds": 0}, "timeout_seconds", "greater than 0"),
        ({"timeout_seconds": -5}, "timeout_seconds", "greater than 0"),
        ({"poll_interval_seconds": 0.01}, "poll_interval_seconds", "at least 0.05"),
        ({"account_id": "12345"}, "account_id", "12-digit"),
        ({"role_arn": "arn:aws:iam::123:user/x"}, "role_arn", "role ARN"),
        ({"region": "mars-1"}, "region", "region"),
        ({"finalize": "yes"}, "finalize", "true or false"),
        ({"sourceServerIds": GOOD}, "sourceServerIds", "not an input"),
    ],
)
def test_bad_input_is_refused_naming_the_input(news: dict[str, Any], prop: str, words: str) -> None:
    if prop != "source_server_ids":
        news = {"source_server_ids": GOOD, **news}
    found = failures(news)
    assert prop in found, found
    assert words in found[prop]


def test_test_launch_refuses_revert_on_delete() -> None:
    found = failures({"source_server_ids": GOOD, "on_delete": "revert"}, TestLaunchProvider())
    assert "on_delete" in found and "retain, terminate" in found["on_delete"]


def test_unknown_values_during_preview_are_left_alone() -> None:
    result = CutoverProvider().check({}, {"source_server_ids": [Unknown(), GOOD[0]], "tags": Unknown()})
    assert not result.failures
    assert isinstance(result.inputs["tags"], Unknown)


def test_check_makes_no_aws_call(monkeypatch: pytest.MonkeyPatch) -> None:
    import botocore.endpoint

    def forbidden(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("check made an AWS call")

    monkeypatch.setattr(botocore.endpoint.Endpoint, "make_request", forbidden)
    assert not CutoverProvider().check({}, {"source_server_ids": GOOD, "region": "us-east-1"}).failures
