"""diff of a launch declared by ``application_ids`` or ``wave_id`` (issue 21): it declares the servers its create
resolved them to (the output ``source_server_ids``); a change of the group replaces, drift alone (servers the group
lists now and did not at create) changes nothing; no AWS call."""

from __future__ import annotations

from typing import Any

import pytest

from mgn_resources import CutoverProvider, TestLaunchProvider
from mgn_resources.errors import ReplaceRefusedError
from mgn_resources.lifecycle.diffing import diff_inputs
from mgn_resources.lifecycle.groups import declared
from mgn_resources.schema import CUTOVER, TEST_LAUNCH

A, B, C = "s-0a1b2c3d4e5f6a7b8", "s-0a1b2c3d4e5f6a7b9", "s-0a1b2c3d4e5f6a7ba"
APP, OTHER_APP = "app-0a1b2c3d4e5f6a7b8", "app-0a1b2c3d4e5f6a7b9"
WAVE, OTHER_WAVE = "wave-0a1b2c3d4e5f6a7b8", "wave-0a1b2c3d4e5f6a7b9"
JOB = "mgnjob-0a1b2c3d4e5f6a7b8"
GROUP_KEYS = ("source_server_ids", "application_ids", "wave_id")


class Recorded:
    def __init__(self) -> None:
        self.infos: list[str] = []

    def info(self, message: str) -> None:
        self.infos.append(message)

    def warn(self, message: str) -> None:
        raise AssertionError(message)


def created(provider: Any = None, states: dict[str, str] | None = None, **given: Any) -> dict[str, Any]:
    """The outputs of a create of ``given`` that resolved to A and B (each LAUNCHED unless ``states`` says)."""
    inputs = (provider or CutoverProvider()).check({}, given).inputs
    states = states or {}
    servers = [
        {"source_server_id": sid, "state": states.get(sid, "LAUNCHED"), "job_id": JOB, "instance_id": "i-1"}
        for sid in (A, B)
    ]
    return {
        **inputs, "source_server_ids": [A, B], "servers": servers, "job_id": JOB, "unlaunched_server_ids": [],
        "pending_server_ids": [sid for sid in states if states[sid] != "FAILED"], "failed_server_ids": [],
        "effective_region": "us-east-1", "effective_endpoint_url": "", "effective_role_arn": "",
        "effective_account_id": "111122223333",
    }


def diff(olds: dict[str, Any], provider: Any = None, progress: Any = None, **news: Any) -> Any:
    """Diff ``olds`` against the inputs a program gives now (checked as the engine would)."""
    provider = provider or CutoverProvider()
    checked = provider.check({}, news).inputs
    assert "source_server_ids" not in checked or "source_server_ids" in news
    schema = CUTOVER if isinstance(provider, CutoverProvider) else TEST_LAUNCH
    return diff_inputs(olds, checked, schema, provider.stack, progress or Recorded())


@pytest.mark.parametrize("given", [{"application_ids": [APP]}, {"wave_id": WAVE}])
@pytest.mark.parametrize("provider", [CutoverProvider, TestLaunchProvider])
def test_the_same_group_is_no_change(provider: type, given: dict[str, Any]) -> None:
    progress = Recorded()
    result = diff(created(provider(), **given), provider(), progress, **given)
    assert result.changes is False and result.replaces == []
    assert progress.infos == []


@pytest.mark.parametrize("given", [{"application_ids": [APP]}, {"wave_id": WAVE}])
def test_drift_alone_is_no_change(given: dict[str, Any]) -> None:
    """A refresh found C in the application since: reported, never acted on, so no update and no replace."""
    olds = {**created(**given), "unlaunched_server_ids": [C]}
    result = diff(olds, **given)
    assert result.changes is False and result.replaces == []


@pytest.mark.parametrize(
    ("old", "new", "replaced"),
    [
        ({"application_ids": [APP]}, {"application_ids": [APP, OTHER_APP]}, ["application_ids"]),
        ({"application_ids": [APP]}, {"application_ids": [OTHER_APP]}, ["application_ids"]),
        ({"wave_id": WAVE}, {"wave_id": OTHER_WAVE}, ["wave_id"]),
        ({"wave_id": WAVE}, {"application_ids": [APP]}, ["application_ids", "wave_id"]),
        ({"source_server_ids": [A, B]}, {"application_ids": [APP]}, ["application_ids"]),
        ({"application_ids": [APP]}, {"source_server_ids": [A, B]}, ["application_ids"]),
    ],
)
def test_a_change_of_the_group_replaces(old: dict[str, Any], new: dict[str, Any], replaced: list[str]) -> None:
    result = diff(created(**old), **new)
    assert result.changes is True and result.replaces == replaced
    assert result.delete_before_replace is False  # on_delete retain: the new resource keeps what is launched


def test_the_order_of_the_applications_alone_is_no_change() -> None:
    result = diff(created(application_ids=[APP, OTHER_APP]), application_ids=[OTHER_APP, APP])
    assert result.changes is False


def test_a_group_replacement_over_live_servers_is_refused_without_the_opt_in() -> None:
    olds = created(application_ids=[APP], on_delete="revert")
    with pytest.raises(ReplaceRefusedError, match=rf"Changing application_ids replaces job {JOB}'s launch"):
        diff(olds, application_ids=[OTHER_APP], on_delete="revert")
    allowed = diff(olds, application_ids=[OTHER_APP], on_delete="revert", allow_revert_on_replace=True)
    assert allowed.replaces == ["application_ids"] and allowed.delete_before_replace is True


def test_other_inputs_update_in_place_acting_on_the_servers_create_resolved() -> None:
    progress = Recorded()
    result = diff(created(wave_id=WAVE), progress=progress, wave_id=WAVE, tags={"team": "payments"})
    assert result.changes is True and result.replaces == []
    assert progress.infos == []  # no server added or removed


def test_a_reverted_member_is_launched_again_by_the_update_as_for_listed_servers() -> None:
    progress = Recorded()
    olds = created(states={A: "REVERTED"}, application_ids=[APP])
    result = diff(olds, progress=progress, application_ids=[APP])
    assert result.changes is True and result.replaces == []
    assert progress.infos == [f"The update of job {JOB}'s servers launches {A} (REVERTED) again."]


def test_declared_fills_in_the_servers_only_for_a_group() -> None:
    state = created(application_ids=[APP])
    assert declared(state, {"application_ids": [APP]})["source_server_ids"] == [A, B]
    assert declared(state, {"source_server_ids": [C]})["source_server_ids"] == [C]
    assert "source_server_ids" not in declared(state, {"instance_type": "m5.large"})
