"""What a user runs (preview, up, up again, change, refresh, destroy), through the real host against the emulator.

Each test plays the engine's part: check, then diff/create/update/read/delete with the props the engine
would pass (olds of diff/update/read/delete are the previous outputs).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from tests.harness import UNKNOWN, ProviderHost, is_unknown
from tests.harness.emulator import lifecycle_state, mutating_calls
from tests.harness.mgn import SERVERS, start_host, up

WAVE = SERVERS[:2]


def inputs(emu: EmulatorServer, **overrides: Any) -> dict[str, Any]:
    """What the program registers: the inputs it sets (None inputs never reach the engine)."""
    return {"source_server_ids": list(WAVE), "endpoint_url": emu.url, "poll_interval_seconds": 0.05, **overrides}


def test_preview_of_a_new_stack_calls_no_mgn(cutover_host: ProviderHost, emu: EmulatorServer) -> None:
    checked = cutover_host.check({}, inputs(emu, source_server_ids=UNKNOWN, tags={"wave": UNKNOWN}))
    assert checked.failures == []
    assert is_unknown(checked.inputs["source_server_ids"])
    assert checked.inputs["timeout_seconds"] == 3600  # defaults are applied even in a preview
    cutover_host.check({}, inputs(emu))  # a preview with everything known
    assert emu.calls() == []


@pytest.mark.slow
def test_up_starts_a_cutover_and_reports_job_and_instances(cutover_host: ProviderHost, emu: EmulatorServer) -> None:
    checked, created = up(cutover_host, inputs(emu, tags={"wave": "1"}))
    outs = created.outs

    assert checked["timeout_seconds"] == 3600 and checked["poll_interval_seconds"] == 0.05
    assert checked["wait_for_post_launch_actions"] is True and checked["finalize"] is False
    assert checked["on_delete"] == "retain" and checked["require_successful_test"] is False
    assert created.id == outs["job_id"] and created.id.startswith("mgnjob-")
    assert outs["job_status"] == "COMPLETED"
    assert outs["job_arn"].endswith(f":job/{created.id}")
    assert set(outs["launched_instance_ids"]) == set(WAVE)
    assert outs["instance_ids"] == [outs["launched_instance_ids"][s] for s in WAVE]
    assert all(i.startswith("i-") for i in outs["instance_ids"])
    assert [s["source_server_id"] for s in outs["servers"]] == WAVE
    assert outs["servers"][0]["launch_status"] == "LAUNCHED"
    action = outs["servers"][0]["post_launch_actions"][0]
    assert action["action_name"] == "smoke-test" and action["status"] == "SUCCESS" and action["must_succeed"] is True
    assert outs["creation_time"] and outs["finalized"] is False
    for key, value in checked.items():  # every input is an output too
        assert outs[key] == value
    assert emu.call_count("StartCutover") == 1


@pytest.mark.slow
def test_second_up_without_change_changes_nothing(cutover_host: ProviderHost, emu: EmulatorServer) -> None:
    news = inputs(emu)
    checked, created = up(cutover_host, news)
    emu.clear_calls()

    again = cutover_host.check(checked, news)
    assert again.failures == [] and again.inputs == checked
    diff = cutover_host.diff(created.id, created.outs, again.inputs)
    assert diff.changes == "none" and diff.replaces == []
    assert mutating_calls(emu) == []
    assert emu.calls() == []  # check and diff need no MGN call at all


@pytest.mark.slow
def test_tag_change_updates_in_place(cutover_host: ProviderHost, emu: EmulatorServer) -> None:
    checked, created = up(cutover_host, inputs(emu, tags={"wave": "1", "owner": "ops"}))
    emu.clear_calls()

    news = cutover_host.check(checked, inputs(emu, tags={"wave": "2"})).inputs
    diff = cutover_host.diff(created.id, created.outs, news)
    assert diff.changed and diff.replaces == []

    updated = cutover_host.update(created.id, created.outs, news)
    assert set(mutating_calls(emu)) == {"TagResource", "UntagResource"}
    assert updated["tags"] == {"wave": "2"}
    for key in ("job_id", "job_arn", "job_status", "launched_instance_ids", "instance_ids", "servers"):
        assert updated[key] == created.outs[key]


@pytest.mark.slow
def test_server_set_change_updates_in_place_but_order_alone_is_no_change(
    cutover_host: ProviderHost, emu: EmulatorServer
) -> None:
    checked, created = up(cutover_host, inputs(emu))

    reordered = cutover_host.check(checked, inputs(emu, source_server_ids=list(reversed(WAVE)))).inputs
    assert cutover_host.diff(created.id, created.outs, reordered).changes == "none"

    grown = cutover_host.check(checked, inputs(emu, source_server_ids=[*WAVE, SERVERS[2]])).inputs
    diff = cutover_host.diff(created.id, created.outs, grown)
    assert diff.changed and diff.replaces == []
    assert f"servers launches {SERVERS[2]} (added)" in cutover_host.stderr

    unknown = cutover_host.check(checked, inputs(emu, source_server_ids=UNKNOWN)).inputs
    assert cutover_host.diff(created.id, created.outs, unknown).replaces == []


@pytest.mark.slow
def test_refresh_keeps_a_live_cutover(cutover_host: ProviderHost, emu: EmulatorServer) -> None:
    _, created = up(cutover_host, inputs(emu))
    emu.clear_calls()

    read = cutover_host.read(created.id, created.outs)
    assert read.id == created.id
    assert read.outs["job_id"] == created.id
    assert read.outs["launched_instance_ids"] == created.outs["launched_instance_ids"]
    assert mutating_calls(emu) == []


@pytest.mark.slow
def test_refresh_after_servers_were_reverted_in_mgn_forgets_the_cutover(
    cutover_host: ProviderHost, emu: EmulatorServer, mgn: Any
) -> None:
    _, created = up(cutover_host, inputs(emu))
    for server in WAVE:
        mgn.change_server_life_cycle_state(sourceServerID=server, lifeCycle={"state": "READY_FOR_CUTOVER"})
    emu.clear_calls()

    read = cutover_host.read(created.id, created.outs)
    assert read.id == ""
    assert mutating_calls(emu) == []


@pytest.mark.slow
def test_destroy_with_retain_leaves_mgn_alone(cutover_host: ProviderHost, emu: EmulatorServer, mgn: Any) -> None:
    _, created = up(cutover_host, inputs(emu))
    emu.clear_calls()

    cutover_host.delete(created.id, created.outs)
    assert mutating_calls(emu) == []
    assert [lifecycle_state(mgn, s) for s in WAVE] == ["CUTTING_OVER", "CUTTING_OVER"]


@pytest.mark.slow
def test_destroy_with_revert_returns_servers_to_ready_for_cutover(
    cutover_host: ProviderHost, emu: EmulatorServer, mgn: Any
) -> None:
    _, created = up(cutover_host, inputs(emu, on_delete="revert"))
    emu.clear_calls()

    cutover_host.delete(created.id, created.outs)
    assert set(mutating_calls(emu)) == {"ChangeServerLifeCycleState"}
    assert [lifecycle_state(mgn, s) for s in WAVE] == ["READY_FOR_CUTOVER", "READY_FOR_CUTOVER"]


@pytest.mark.slow
def test_destroy_with_terminate_terminates_the_instances(cutover_host: ProviderHost, emu: EmulatorServer) -> None:
    _, created = up(cutover_host, inputs(emu, on_delete="terminate"))
    emu.clear_calls()

    cutover_host.delete(created.id, created.outs)
    assert "TerminateTargetInstances" in mutating_calls(emu)
    assert "StartCutover" not in mutating_calls(emu)


@pytest.mark.slow
def test_endpoint_from_the_environment(emu: EmulatorServer) -> None:
    from mgn_resources.provider.cutover import CutoverProvider

    with start_host(CutoverProvider(), env={"AWS_ENDPOINT_URL_MGN": emu.url}) as host:
        news = {"source_server_ids": [SERVERS[2]], "poll_interval_seconds": 0.05}
        checked, created = up(host, news)
        assert "endpoint_url" not in checked or not checked["endpoint_url"]  # not pinned into the inputs
        launched = created.outs["launched_instance_ids"]
        assert set(launched) == {SERVERS[2]} and launched[SERVERS[2]].startswith("i-")
        assert created.outs["instance_ids"] == [launched[SERVERS[2]]]
        assert emu.call_count("StartCutover") == 1


@pytest.mark.slow
def test_progress_reaches_the_host_log(cutover_host: ProviderHost, emu: EmulatorServer) -> None:
    before = len(cutover_host.stderr)  # the host serves the whole module: only this create's lines count
    _, created = up(cutover_host, inputs(emu))
    job, logged = created.id, cutover_host.stderr[before:]
    lines = [line for line in logged.splitlines() if job in line]
    started = f"info: Started cutover job {job} for 2 servers ({', '.join(WAVE)})."
    done = f"info: Cutover job {job} COMPLETED: 2 of 2 launched; post-launch actions 1 of 1 done."
    assert started in lines and done in lines
    assert lines.index(started) < lines.index(done)  # progress in the order it happened
    assert set(re.findall(r"mgnjob-\w+", logged)) == {job}  # it names this job and no other


@pytest.mark.parametrize(
    ("overrides", "bad_input"),
    [
        ({"source_server_ids": ["not-a-server"]}, "source_server_ids"),
        ({"source_server_ids": []}, "source_server_ids"),
        ({"source_server_ids": [SERVERS[0], SERVERS[0]]}, "source_server_ids"),
        ({"source_server_ids": None}, "source_server_ids"),
        ({"on_delete": "explode"}, "on_delete"),
        ({"timeout_seconds": -1}, "timeout_seconds"),
        ({"poll_interval_seconds": 0}, "poll_interval_seconds"),
        ({"finalize": "yes"}, "finalize"),
        ({"tags": {"aws:reserved": "x"}}, "tags"),
        ({"role_arn": "admin"}, "role_arn"),
        ({"region": "moon-1"}, "region"),
        ({"mark_ready_for_cutover": True}, "mark_ready_for_cutover"),  # a TestLaunch input, not a Cutover one
    ],
)
def test_bad_inputs_are_refused_at_check(
    cutover_host: ProviderHost, emu: EmulatorServer, overrides: dict[str, Any], bad_input: str
) -> None:
    news = {k: v for k, v in inputs(emu, **overrides).items() if v is not None}
    checked = cutover_host.check({}, news)
    assert bad_input in checked.failed_properties
    assert all(f.reason for f in checked.failures)
    assert emu.calls() == []


@pytest.mark.slow
def test_test_launch_marks_servers_ready_for_cutover(
    test_launch_host: ProviderHost, emu: EmulatorServer, mgn: Any
) -> None:
    servers = SERVERS[3:5]
    checked, created = up(test_launch_host, inputs(emu, source_server_ids=servers))
    assert checked["mark_ready_for_cutover"] is True and checked["on_delete"] == "retain"
    assert created.outs["job_id"] == created.id and len(created.outs["instance_ids"]) == 2
    assert created.outs["marked_ready_for_cutover"] is True
    assert emu.call_count("StartTest") == 1
    assert [lifecycle_state(mgn, s) for s in servers] == ["READY_FOR_CUTOVER", "READY_FOR_CUTOVER"]
