"""diff: connection changes replace (refused over live servers unless opted in); the server set, tags, finalize,
on_delete and waits update, naming the servers an update launches or acts on; no AWS call."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown

from mgn_resources import CutoverProvider
from mgn_resources.errors import ReplaceRefusedError
from mgn_resources.lifecycle.diffing import diff_inputs
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


def inputs_of(olds: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in olds.items() if k in CUTOVER.names}


def diff(olds: dict[str, Any], **changes: Any) -> Any:
    """Diff the old outputs against the old inputs with ``changes``, checked as the engine would."""
    provider = CutoverProvider()
    news = provider.check({}, {**inputs_of(olds), **changes}).inputs
    return provider.diff("mgnjob-0a1b2c3d4e5f6a7b8", olds, news)


def test_no_change_is_no_change() -> None:
    result = diff(state())
    assert result.changes is False and result.replaces == []


def test_order_alone_is_not_a_change() -> None:
    result = diff(state(), source_server_ids=[B, A])
    assert result.changes is False


class Recorded:
    """A Progress that keeps what diff says."""

    def __init__(self) -> None:
        self.infos: list[str] = []

    def info(self, message: str) -> None:
        self.infos.append(message)

    def warn(self, message: str) -> None:
        raise AssertionError(message)


def per_server(olds: dict[str, Any], **states: str) -> dict[str, Any]:
    """``olds`` with per-server records: each server LAUNCHED unless ``states`` says otherwise."""
    servers = [
        {"source_server_id": sid, "state": states.get(sid, "LAUNCHED"), "job_id": olds["job_id"], "instance_id": ""}
        for sid in olds["source_server_ids"]
    ]
    pending = [sid for sid, st in states.items() if st != "FAILED"]
    failed = [sid for sid, st in states.items() if st == "FAILED"]
    return {**olds, "servers": servers, "pending_server_ids": pending, "failed_server_ids": failed}


def test_an_added_server_updates_in_place_and_preview_names_it() -> None:
    progress = Recorded()
    provider, olds = CutoverProvider(), state(on_delete="revert")
    news = provider.check({}, {**inputs_of(olds), "source_server_ids": [A, B, C]}).inputs
    result = diff_inputs(olds, news, CUTOVER, provider.stack, progress)
    assert result.changes and result.replaces == [] and result.delete_before_replace is False
    assert progress.infos == [f"The update of job mgnjob-0a1b2c3d4e5f6a7b8's servers launches {C} (added)."]


def test_a_removed_server_updates_in_place_and_preview_names_its_on_delete() -> None:
    progress = Recorded()
    provider, olds = CutoverProvider(), state(on_delete="revert")
    news = provider.check({}, {**inputs_of(olds), "source_server_ids": [A]}).inputs
    result = diff_inputs(olds, news, CUTOVER, provider.stack, progress)
    assert result.changes and result.replaces == []
    assert progress.infos == [
        f"The update of job mgnjob-0a1b2c3d4e5f6a7b8's servers applies on_delete=revert to {B} (removed)."
    ]


def test_a_server_refresh_found_not_launched_makes_an_update_that_launches_it_again() -> None:
    progress = Recorded()
    provider, olds = CutoverProvider(), per_server(state(), **{B: "INSTANCE_GONE"})
    news = provider.check({}, inputs_of(olds)).inputs
    result = diff_inputs(olds, news, CUTOVER, provider.stack, progress)
    assert result.changes and result.replaces == []
    assert progress.infos == [
        f"The update of job mgnjob-0a1b2c3d4e5f6a7b8's servers launches {B} (INSTANCE_GONE) again."
    ]


def test_a_replace_over_live_servers_is_refused_naming_them_unless_opted_in() -> None:
    with pytest.raises(ReplaceRefusedError) as refused:
        diff(state(on_delete="revert"), region="eu-west-1")
    assert str(refused.value) == (
        "Changing region replaces job mgnjob-0a1b2c3d4e5f6a7b8's launch, which would revert the live servers "
        f"{A}, {B} (on_delete=revert); set allow_revert_on_replace=true to let it, or change region back."
    )
    opted_in = diff(state(on_delete="revert"), region="eu-west-1", allow_revert_on_replace=True)
    assert opted_in.replaces == ["region"] and opted_in.delete_before_replace is True
    assert diff(state(), region="eu-west-1").replaces == ["region"]  # retain: the live servers stay as they are


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


def test_an_unknown_server_list_during_preview_is_an_update() -> None:
    olds = state()
    result = CutoverProvider().diff("id", olds, {**olds, "source_server_ids": Unknown()})
    assert result.changes and result.replaces == []
