"""The program through the real pulumi CLI and engine, against the emulator, checked with its call log."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from mgn_emulator import EmulatorServer
from tests.harness.cli import CliProject, launches
from tests.harness.emulator import make_seed, server_entry, server_id

pytestmark = pytest.mark.e2e

CUTOVER = "pulumi-python:dynamic/mgn:Cutover"


def wave(name: str, *servers: int, **extra: Any) -> dict[str, Any]:
    return {"name": name, "sourceServerIds": [server_id(n) for n in servers], **extra}


def operations(emulator: EmulatorServer) -> list[str]:
    return [c.operation for c in emulator.calls()]


def cutovers_in_state(project: CliProject) -> list[dict[str, Any]]:
    return [r for r in project.resources() if r["type"] == CUTOVER]


@pytest.fixture
def emulator_seed() -> dict[str, Any]:
    return make_seed([1, 2, 3, server_entry(4, launch="fail")])


@pytest.fixture
def project(tmp_path: Any, emulator: EmulatorServer) -> CliProject:
    project = CliProject.create(tmp_path, emulator.url, waves=[wave("w1", 1, 2, onDelete="revert")])
    project.select()
    return project


def test_preview_calls_nothing_then_up_launches_once_and_a_second_up_is_a_no_op(
    project: CliProject, emulator: EmulatorServer
) -> None:
    preview = project.preview()
    assert "Cutover w1-cutover create" in preview.stdout, preview.stdout
    assert emulator.calls() == []  # check and diff make no AWS call; preview launches nothing

    project.up()
    assert launches(emulator.calls()) == ["StartCutover"]
    job_id = project.outputs()["job_ids"]["w1"]
    assert job_id.startswith("mgnjob-")
    assert set(project.outputs()["instance_ids"]["w1"]) == {server_id(1), server_id(2)}

    before = len(emulator.calls())
    again = project.up()
    # Pulumi.yaml's refresh: always reads each server's truth first; nothing else is called.
    reads = operations(emulator)[before:]
    assert set(reads) == {"DescribeSourceServers", "DescribeJobs", "DescribeInstanceStatus"}, reads
    assert "2 unchanged" in again.stdout, again.stdout
    assert project.outputs()["job_ids"]["w1"] == job_id


def test_a_tag_change_and_an_added_server_update_in_place_and_only_the_added_server_launches(
    project: CliProject, emulator: EmulatorServer
) -> None:
    project.up()
    first_job = project.outputs()["job_ids"]["w1"]

    project.configure(waves=[wave("w1", 1, 2, onDelete="revert", tags={"team": "payments"})])
    updated = project.up()
    assert "1 updated" in updated.stdout, updated.stdout
    assert launches(emulator.calls()) == ["StartCutover"]
    assert "TagResource" in operations(emulator)
    assert project.outputs()["job_ids"]["w1"] == first_job

    project.configure(waves=[wave("w1", 1, 2, 3, onDelete="revert")])
    grown = project.up()
    assert "1 updated" in grown.stdout and f"launches {server_id(3)} (added)" in grown.stdout, grown.stdout
    starts = [c.body["sourceServerIDs"] for c in emulator.calls() if c.operation == "StartCutover"]
    assert starts == [[server_id(1), server_id(2)], [server_id(3)]]
    assert "ChangeServerLifeCycleState" not in operations(emulator)  # nothing reverted
    assert project.outputs()["job_ids"]["w1"] == first_job


def test_a_revert_of_every_server_made_in_mgn_reads_as_gone_at_refresh_and_the_next_up_launches_again(
    project: CliProject, emulator: EmulatorServer, mgn_client: Any
) -> None:
    project.up()
    for number in (1, 2):
        mgn_client.change_server_life_cycle_state(
            sourceServerID=server_id(number), lifeCycle={"state": "READY_FOR_CUTOVER"}
        )

    refreshed = project.refresh()
    assert "1 deleted" in refreshed.stdout, refreshed.stdout
    assert cutovers_in_state(project) == []

    project.up()
    assert launches(emulator.calls()) == ["StartCutover", "StartCutover"]


@pytest.mark.parametrize(
    ("on_delete", "expected"),
    [
        ("retain", set()),
        ("revert", {"ChangeServerLifeCycleState"}),
        ("terminate", {"ChangeServerLifeCycleState", "TerminateTargetInstances"}),
    ],
)
def test_destroy_does_what_on_delete_says(
    tmp_path: Any, emulator: EmulatorServer, mgn_client: Any, on_delete: str, expected: set[str]
) -> None:
    project = CliProject.create(tmp_path, emulator.url, waves=[wave("w1", 1, 2, onDelete=on_delete)])
    project.select()
    project.up()
    emulator.clear_calls()

    project.destroy()
    changing = {"ChangeServerLifeCycleState", "TerminateTargetInstances", "StartCutover", "StartTest"}
    assert set(operations(emulator)) & changing == expected
    assert cutovers_in_state(project) == []
    states = {s["sourceServerID"]: s["lifeCycle"]["state"] for s in mgn_client.describe_source_servers()["items"]}
    want = "CUTTING_OVER" if on_delete == "retain" else "READY_FOR_CUTOVER"
    assert states[server_id(1)] == states[server_id(2)] == want


def test_declaring_a_cutover_for_servers_a_job_already_launched_adopts_that_job(
    project: CliProject, emulator: EmulatorServer, mgn_client: Any
) -> None:
    started = mgn_client.start_cutover(sourceServerIDs=[server_id(1), server_id(2)])["job"]["jobID"]
    emulator.clear_calls()

    project.up()
    assert launches(emulator.calls()) == []
    assert project.outputs()["job_ids"]["w1"] == started


def test_a_failed_launch_shows_its_one_sentence_error_without_a_traceback(
    project: CliProject, emulator: EmulatorServer
) -> None:
    project.configure(waves=[wave("w1", 4)])
    failed = project.up(check=False)
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0
    assert f"completed with 1 of 1 servers FAILED: {server_id(4)}" in output, output
    assert "Traceback" not in output


def test_a_bad_stack_config_stops_with_one_line_before_anything_is_called(
    project: CliProject, emulator: EmulatorServer
) -> None:
    project.configure(waves=[{"name": "w1", "sourceServerIDs": [server_id(1)]}])
    failed = project.up(check=False)
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0
    errors = [line.strip() for line in output.splitlines() if "sourceServerIDs" in line]
    assert errors and all("error:" in line for line in errors), output
    assert "Traceback" not in output
    assert emulator.calls() == []


@pytest.mark.parametrize("parallel", [None, "8"])
def test_twelve_parallel_waves_wait_side_by_side(tmp_path: Any, parallel: str | None) -> None:
    # Each launch takes 4 s. scripts/pulumi lets all twelve waves start their jobs at once; at pulumi's own
    # default on two cores (--parallel 8) the ninth can only start once one of the first eight has finished.
    seed = make_seed(list(range(1, 13)), launch_seconds=4.0)
    with EmulatorServer(seed=seed, launch_seconds=4.0) as emulator:
        waves = [wave(f"w{n}", n, parallel=n > 1) for n in range(1, 13)]
        project = CliProject.create(tmp_path, emulator.url, waves=waves)
        project.select()
        project.up(*(["--parallel", parallel] if parallel else []))
        starts = sorted(c.time for c in emulator.calls() if c.operation == "StartCutover")
    assert len(starts) == 12
    spread = (starts[-1] - starts[0]).total_seconds()
    if parallel is None:
        assert spread < 4.0
    else:
        assert spread >= 4.0


def test_a_stack_without_any_config_gets_the_programs_own_one_line_error(project: CliProject) -> None:
    stack = yaml.safe_load(project.stack_file.read_text())
    project.stack_file.write_text(yaml.safe_dump({"encryptionsalt": stack["encryptionsalt"]}))
    failed = project.up(check=False)
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0
    assert "waves" in output and "Traceback" not in output and "AttributeError" not in output, output
