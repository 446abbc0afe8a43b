"""diff resolves where the job lives from the new inputs, the stack config and the environment, and compares it with
the job's effective_* outputs; what cannot be resolved without an AWS call never counts as a move. No AWS call."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown

from mgn_resources import CutoverProvider
from mgn_resources.errors import ConnectionSettingsError, MgnCutoverError
from mgn_resources.lifecycle.effective import StackSettings

A = "s-0a1b2c3d4e5f6a7b8"
STACK = StackSettings(region="eu-west-1")
JOB_ARN = "arn:aws:mgn:eu-west-1:111122223333:job/mgnjob-0a1b2c3d4e5f6a7b8"


def outputs(**overrides: Any) -> dict[str, Any]:
    return {
        "source_server_ids": [A], "tags": {}, "timeout_seconds": 3600.0, "poll_interval_seconds": 15.0,
        "wait_for_post_launch_actions": True, "on_delete": "revert", "finalize": False,
        "require_successful_test": False, "job_id": "mgnjob-0a1b2c3d4e5f6a7b8", "job_arn": JOB_ARN,
        "effective_region": "eu-west-1", "effective_endpoint_url": "", "effective_role_arn": "",
        "effective_account_id": "111122223333",
        # These tests are about what moves the job; refusing to revert live servers on a move is tested in test_diff.
        "allow_revert_on_replace": True, **overrides,
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


def test_an_endpoint_from_the_environment_equal_to_the_launched_one_is_no_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    olds = outputs(effective_endpoint_url="http://127.0.0.1:4599")
    monkeypatch.setenv("AWS_ENDPOINT_URL_MGN", "http://127.0.0.1:4599")
    assert diff(olds).changes is False


def refusal(olds: dict[str, Any], stack: StackSettings = STACK, **news: Any) -> str:
    with pytest.raises(ConnectionSettingsError) as caught:
        diff(olds, stack, **news)
    text = str(caught.value)
    assert text.count(". ") == 0 and text.endswith(".")  # one sentence
    return text


@pytest.mark.parametrize("variable", ["AWS_ENDPOINT_URL_MGN", "AWS_ENDPOINT_URL"])
def test_an_endpoint_only_the_environment_changes_is_refused_not_replaced(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, "http://127.0.0.1:4599")

    text = refusal(outputs())  # launched against AWS's own endpoint

    assert text.startswith("endpoint_url: mgnjob-0a1b2c3d4e5f6a7b8 was launched with endpoint_url unset")
    assert f"{variable} is 'http://127.0.0.1:4599'" in text
    assert "set endpoint_url" in text and f"unset {variable}" in text


def test_an_endpoint_variable_gone_since_the_launch_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    text = refusal(outputs(effective_endpoint_url="http://127.0.0.1:4599"))  # no variable now: AWS itself
    assert "'http://127.0.0.1:4599'" in text and "AWS_ENDPOINT_URL_MGN, AWS_ENDPOINT_URL" in text


def test_an_endpoint_from_the_profile_is_refused_naming_the_profile(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    config = tmp_path / "config"
    config.write_text("[profile ops]\nservices = local\n\n[services local]\nmgn =\n  endpoint_url = http://127.0.0.1:4599\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))

    text = refusal(outputs(), StackSettings(region="eu-west-1", profile="ops"))

    assert "the endpoint_url of AWS profile ops is 'http://127.0.0.1:4599'" in text


@pytest.mark.parametrize("variable", ["AWS_REGION", "AWS_DEFAULT_REGION"])
def test_a_region_only_the_environment_changes_is_refused_not_replaced(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, "eu-central-1")

    text = refusal(outputs(), StackSettings())  # launched in eu-west-1

    assert text.startswith("region: mgnjob-0a1b2c3d4e5f6a7b8 was launched with region 'eu-west-1'")
    assert f"{variable} is 'eu-central-1'" in text
    assert "aws:region" in text and f"unset {variable}" in text


def test_a_stated_region_or_endpoint_still_moves_the_job_whatever_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-central-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL_MGN", "http://127.0.0.1:4599")
    launched_here = outputs(effective_endpoint_url="http://127.0.0.1:4599")

    assert diff(launched_here, StackSettings(), region="eu-west-1").changes is False
    assert diff(launched_here, StackSettings(), region="us-west-2").replaces == ["region"]
    assert diff(launched_here, StackSettings(region="us-west-2")).replaces == ["region"]
    assert diff(launched_here, STACK, endpoint_url="http://127.0.0.1:4600").replaces == ["endpoint_url"]


def test_removing_the_endpoint_input_is_an_edit_not_the_environment() -> None:
    olds = outputs(endpoint_url="http://127.0.0.1:4599", effective_endpoint_url="http://127.0.0.1:4599")
    assert diff(olds, endpoint_url=None).replaces == ["endpoint_url"]  # now AWS's own endpoint: a different MGN


def test_the_provider_refuses_an_environment_move_as_a_package_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_MGN", "http://127.0.0.1:4599")
    with pytest.raises(MgnCutoverError) as caught:
        diff(outputs())
    assert caught.value.__traceback__ is not None and caught.value.__cause__ is None


def test_an_unknown_setting_during_preview_may_replace() -> None:
    assert diff(outputs(), role_arn=Unknown()).replaces == ["role_arn"]


def test_another_role_in_the_same_account_is_an_update_and_one_in_another_account_replaces() -> None:
    same = diff(outputs(), role_arn="arn:aws:iam::111122223333:role/mgn-launcher")
    assert same.changes is True and same.replaces == []
    other = diff(outputs(), role_arn="arn:aws:iam::444455556666:role/mgn-launcher")
    assert other.replaces == ["role_arn"]
    # No role any more: the deploying identity's account, which only an AWS call could tell, unless account_id says.
    olds = outputs(role_arn="arn:aws:iam::111122223333:role/r", effective_role_arn="arn:aws:iam::111122223333:role/r")
    assert diff(olds, role_arn=None).replaces == ["role_arn"]
    assert diff(olds, role_arn=None, account_id="111122223333").replaces == []
