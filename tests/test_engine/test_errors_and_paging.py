"""Errors a user meets read as one sentence naming what is at fault; pagination past one page."""

from __future__ import annotations

import pytest

from mgn_resources.aws import resolve_region
from mgn_resources.errors import ConnectionSettingsError, MgnApiError
from tests.harness.emulator import server_id as sid

from .conftest import Rig, servers_seed


@pytest.mark.slow
def test_a_missing_permission_names_the_action_and_the_policy(rig: Rig) -> None:
    rig.emu.set_faults(deny_operations=["StartCutover"])
    with pytest.raises(MgnApiError) as denied:
        rig.engine.launch(rig.spec(sid(1)))
    message = str(denied.value)
    assert "mgn:StartCutover" in message and "iam/cutover-policy.json" in message
    assert "\n" not in message


def test_an_uninitialized_account_says_to_initialize_mgn(rig_factory) -> None:  # type: ignore[no-untyped-def]
    rig = rig_factory(account_id="123456789012")
    rig.emu.set_faults(uninitialized=True)
    with pytest.raises(MgnApiError) as uninitialized:
        rig.engine.launch(rig.spec(sid(1)))
    assert "not initialized in account 123456789012" in str(uninitialized.value)
    assert "InitializeService" in str(uninitialized.value)


def test_no_region_anywhere_is_a_settings_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    with pytest.raises(ConnectionSettingsError, match="aws:region"):
        resolve_region("", "")
    assert resolve_region("", "eu-west-1") == "eu-west-1"
    assert resolve_region("us-west-2", "eu-west-1") == "us-west-2"


def test_preflight_and_polling_follow_pages(rig_factory) -> None:  # type: ignore[no-untyped-def]
    rig = rig_factory(servers_seed(5))
    rig.emu.backend.page_size = 2
    ids = tuple(sid(n) for n in range(1, 6))

    result = rig.engine.launch(rig.spec(*ids))

    assert len(result.launches) == 5
    first_preflight = []
    for call in rig.emu.calls():
        if call.operation != "DescribeSourceServers":
            break
        first_preflight.append(call)
    assert len(first_preflight) == 3  # pages of 2, 2 and 1
    assert [bool(c.body.get("nextToken")) for c in first_preflight] == [False, True, True]
