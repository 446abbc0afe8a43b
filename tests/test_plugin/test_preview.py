"""A preview asks MGN what the launch would refuse, read-only: it fails as the up would, with no write call."""

from __future__ import annotations

import pytest

from mgn_emulator import EmulatorServer
from tests.harness import HostError
from tests.harness.emulator import mutating_calls, server_id
from tests.harness.plugin import CUTOVER, UNKNOWN, Plugin

from .conftest import launch


@pytest.mark.parametrize(
    ("server", "expected"),
    [
        ({"state": "NOT_READY"}, "is NOT_READY"),
        ({"replication": {"state": "STALLED", "lag_seconds": 30}}, "data replication is STALLED, not CONTINUOUS"),
    ],
    ids=["not-ready", "stalled"],
)
def test_a_preview_fails_naming_the_server_as_the_launch_would_and_writes_nothing(
    plugin: Plugin, emulator: EmulatorServer, server: dict[str, object], expected: str
) -> None:
    emulator.add_server(server_id(5), **server)  # type: ignore[arg-type]
    checked = plugin.check(CUTOVER, {}, launch(1, 5))
    assert checked.failures == []

    with pytest.raises(HostError) as previewed:
        plugin.create(CUTOVER, checked.inputs, preview=True)
    with pytest.raises(HostError) as launched:
        plugin.create(CUTOVER, checked.inputs)

    details = previewed.value.details
    assert server_id(5) in details and expected in details
    assert details == launched.value.details  # the same sentence as the launch's
    assert "\n" not in details.strip() and "Traceback" not in details and 'File "' not in details
    assert mutating_calls(emulator) == []


def test_a_preview_of_a_good_cutover_only_describes(plugin: Plugin, emulator: EmulatorServer) -> None:
    checked = plugin.check(CUTOVER, {}, launch(1, 2, tags={"wave": "1"}))
    previewed = plugin.create(CUTOVER, checked.inputs, preview=True)

    assert previewed.id == ""
    assert previewed.outs["jobId"] is UNKNOWN and previewed.outs["launchedInstanceIds"] is UNKNOWN
    assert previewed.outs["tags"] == {"wave": "1"} and previewed.outs["sourceServerIds"] == checked.inputs[
        "sourceServerIds"
    ]
    operations = [c.operation for c in emulator.calls()]
    assert operations and all(op.startswith("Describe") for op in operations)


def test_a_preview_of_an_update_only_describes_and_keeps_the_job(plugin: Plugin, emulator: EmulatorServer) -> None:
    checked = plugin.check(CUTOVER, {}, launch(1))
    created = plugin.create(CUTOVER, checked.inputs)
    emulator.clear_calls()

    grown = plugin.check(CUTOVER, checked.inputs, launch(1, 2)).inputs
    previewed = plugin.update(CUTOVER, created.id, created.outs, grown, preview=True)

    assert previewed["jobId"] == created.id and previewed["effectiveRegion"] == "us-east-1"
    assert previewed["servers"] is UNKNOWN and previewed["sourceServerIds"] == [server_id(1), server_id(2)]
    operations = [c.operation for c in emulator.calls()]
    assert operations and all(op.startswith("Describe") for op in operations)
