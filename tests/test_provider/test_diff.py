"""diff: server set and connection changes replace; tags, finalize, on_delete and waits update; no AWS call."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown

from mgn_resources import CutoverProvider
from mgn_resources.schema import CUTOVER

A, B, C = "s-0a1b2c3d4e5f6a7b8", "s-0a1b2c3d4e5f6a7b9", "s-0a1b2c3d4e5f6a7ba"


def state(**overrides: Any) -> dict[str, Any]:
    inputs = CutoverProvider().check({}, {"source_server_ids": [A, B], **overrides}).inputs
    return {
        **inputs, "job_id": "mgnjob-0a1b2c3d4e5f6a7b8", "instance_ids": ["i-1", "i-2"], "finalized": False,
        # where the job was launched: the test environment's region (AWS_DEFAULT_REGION), AWS's own endpoint
        "effective_region": inputs.get("region") or "us-east-1", "effective_endpoint_url": "",
        "effective_role_arn": inputs.get("role_arn") or "", "effective_account_id": "111122223333",
    }


def diff(olds: dict[str, Any], **changes: Any) -> Any:
    """Diff the old outputs against the old inputs with ``changes``, checked as the engine would."""
    provider = CutoverProvider()
    old_inputs = {k: v for k, v in olds.items() if k in CUTOVER.names}
    news = provider.check({}, {**old_inputs, **changes}).inputs
    return provider.diff("mgnjob-0a1b2c3d4e5f6a7b8", olds, news)


def test_no_change_is_no_change() -> None:
    result = diff(state())
    assert result.changes is False and result.replaces == []


def test_order_alone_is_not_a_change() -> None:
    result = diff(state(), source_server_ids=[B, A])
    assert result.changes is False


def test_a_different_server_set_replaces() -> None:
    result = diff(state(), source_server_ids=[A, B, C])
    assert result.changes and result.replaces == ["source_server_ids"]
    assert result.delete_before_replace is False  # retain: the new launch must not touch the old one first


def test_replacing_with_revert_deletes_first() -> None:
    result = diff(state(on_delete="revert"), source_server_ids=[A, C])
    assert result.replaces == ["source_server_ids"] and result.delete_before_replace is True


@pytest.mark.parametrize(
    ("key", "value"),
    [("account_id", "123456789012"), ("region", "eu-west-1"), ("endpoint_url", "http://x:1"),
     ("role_arn", "arn:aws:iam::123456789012:role/r")],
)
def test_connection_changes_replace(key: str, value: str) -> None:
    assert diff(state(), **{key: value}).replaces == [key]


@pytest.mark.parametrize(
    ("key", "value"),
    [("tags", {"wave": "2"}), ("finalize", True), ("on_delete", "terminate"), ("timeout_seconds", 60),
     ("poll_interval_seconds", 1), ("wait_for_post_launch_actions", False)],
)
def test_settings_changes_update_in_place(key: str, value: Any) -> None:
    result = diff(state(), **{key: value})
    assert result.changes is True and result.replaces == []


def test_an_unknown_server_list_during_preview_may_replace() -> None:
    olds = state()
    result = CutoverProvider().diff("id", olds, {**olds, "source_server_ids": Unknown()})
    assert result.replaces == ["source_server_ids"]
