"""diff resolves where the job lives from the new inputs, the stack config and the environment, and compares it with
the job's effective_* outputs; what cannot be resolved without an AWS call never counts as a move. No AWS call."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown

from mgn_resources import CutoverProvider
from mgn_resources.provider.effective import StackSettings

A = "s-0a1b2c3d4e5f6a7b8"
STACK = StackSettings(region="eu-west-1")
JOB_ARN = "arn:aws:mgn:eu-west-1:111122223333:job/mgnjob-0a1b2c3d4e5f6a7b8"


def outputs(**overrides: Any) -> dict[str, Any]:
    return {
        "source_server_ids": [A], "tags": {}, "timeout_seconds": 3600.0, "poll_interval_seconds": 15.0,
        "wait_for_post_launch_actions": True, "on_delete": "revert", "finalize": False,
        "require_successful_test": False, "job_id": "mgnjob-0a1b2c3d4e5f6a7b8", "job_arn": JOB_ARN,
        "effective_region": "eu-west-1", "effective_endpoint_url": "", "effective_role_arn": "",
        "effective_account_id": "111122223333", **overrides,
    }


def diff(olds: dict[str, Any], stack: StackSettings = STACK, **news: Any) -> Any:
    provider = CutoverProvider()
    provider.stack = stack
    inputs = {k: v for k, v in olds.items() if not k.startswith(("job_", "effective_"))}
    return provider.diff("mgnjob-0a1b2c3d4e5f6a7b8", olds, {**inputs, **news})


def test_a_changed_stack_region_moves_the_job() -> None:
    result = diff(outputs(), StackSettings(region="eu-central-1"))
    assert result.replaces == ["region"] and result.delete_before_replace is True


def test_no_region_anywhere_now_does_not_move_the_job(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    assert diff(outputs(), StackSettings()).changes is False


def test_dropping_an_explicit_account_is_not_a_move() -> None:
    # Without account_id the calls go to the deploying identity's account, which only an AWS call could tell.
    assert diff(outputs(account_id="111122223333"), account_id=None).changes is False


def test_an_endpoint_from_the_environment_counts_as_stated(monkeypatch: pytest.MonkeyPatch) -> None:
    olds = outputs(effective_endpoint_url="http://127.0.0.1:4599")
    monkeypatch.setenv("AWS_ENDPOINT_URL_MGN", "http://127.0.0.1:4599")
    assert diff(olds).changes is False
    monkeypatch.delenv("AWS_ENDPOINT_URL_MGN")
    assert diff(olds).replaces == ["endpoint_url"]  # now AWS's own endpoint: a different MGN


def test_state_from_before_any_effective_output_compares_its_inputs() -> None:
    olds = {k: v for k, v in outputs(region="eu-west-1").items() if not k.startswith("effective_")}
    assert diff(olds, region="eu-west-1").changes is False
    assert diff(olds, region="us-east-1").replaces == ["region"]


def test_an_unknown_setting_during_preview_may_replace() -> None:
    assert diff(outputs(), role_arn=Unknown()).replaces == ["role_arn"]
