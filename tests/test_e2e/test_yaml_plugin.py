"""The provider plugin ``mgn`` under a Pulumi YAML program (``runtime: yaml``), through scripts/pulumi and Pulumi's
YAML language host (make yaml-host), against the emulator (MGN and its EC2).

The engine finds ``pulumi-resource-mgn`` on PATH (a link in the test's own ``bin/``; plugin downloads are off), each
project has its own file backend and PULUMI_HOME (``tests/harness/yaml_project.py``), and the plugin reaches the
emulator through an explicit provider (``pulumi:providers:mgn``) or the default provider's ``mgn:`` config.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from tests.harness.emulator import make_seed, server_entry, server_id
from tests.harness.emulator import mgn_client as client_of
from tests.harness.yaml_project import STACK, YamlProject
from tests.test_e2e.test_cli_per_server import assert_one_running_instance_each, ec2_client, started, wait_for_jobs

pytestmark = pytest.mark.e2e

S1, S2, S3, S4 = server_id(1), server_id(2), server_id(3), server_id(4)
READ_ONLY = ("Describe", "Get", "List")
#: How long the slow emulator's launch jobs take, against a customTimeouts create of 2 s: long enough that the
#: job still runs when the next `up` (a plugin start and a preview later) adopts it.
SLOW_LAUNCH_SECONDS = 15.0


@pytest.fixture
def emulator_seed() -> dict[str, Any]:
    """s-1 and s-2 ready for their test launch, s-3 ready for cutover, s-4's replication stalled."""
    return make_seed(
        [
            server_entry(1, state="READY_FOR_TEST"),
            server_entry(2, state="READY_FOR_TEST"),
            server_entry(3),
            {**server_entry(4), "replication": {"state": "STALLED", "lag_seconds": 45}},
        ]
    )


@pytest.fixture
def slow_emulator(emulator_seed: dict[str, Any]) -> Iterator[EmulatorServer]:
    """An emulator whose launch jobs take SLOW_LAUNCH_SECONDS."""
    with EmulatorServer(seed=emulator_seed, launch_seconds=SLOW_LAUNCH_SECONDS) as emu:
        yield emu


def writes(emulator: EmulatorServer) -> list[str]:
    """The calls (MGN's and EC2's) that were not reads."""
    return [c.operation for c in emulator.calls() if not c.operation.startswith(READ_ONLY)]


def said(result: Any) -> str:
    return f"{result.stdout}\n{result.stderr}"


def default_provider_config(emulator: EmulatorServer) -> dict[str, Any]:
    """The stack config of the default provider of package mgn, for the emulator."""
    return {"mgn:endpointUrl": emulator.url, "mgn:region": "us-east-1"}


def cutover_program(*servers: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """One Cutover on the default provider, its instances as the output ``instances``."""
    cutover: dict[str, Any] = {"type": "mgn:index:Cutover", "properties": {"sourceServerIds": list(servers)}}
    if options:
        cutover["options"] = options
    return {"resources": {"cutover": cutover}, "outputs": {"instances": "${cutover.launchedInstanceIds}"}}


# ---- 1. test launch, launch settings and cutover on an explicit provider; a server reverted in MGN ----


def test_a_yaml_program_tests_and_cuts_over_and_the_next_up_launches_only_a_reverted_server(
    tmp_path: Any, emulator: EmulatorServer, mgn_client: Any
) -> None:
    on_provider = {"provider": "${mgn}"}
    program = {
        "resources": {
            "mgn": {
                "type": "pulumi:providers:mgn",
                "properties": {"endpointUrl": emulator.url, "region": "us-east-1"},
            },
            "settings": {
                "type": "mgn:index:LaunchSettings",
                "properties": {"sourceServerId": S1, "instanceType": "t3.small"},
                "options": on_provider,
            },
            "test": {
                "type": "mgn:index:TestLaunch",
                "properties": {"sourceServerIds": [S1, S2]},
                "options": on_provider,
            },
            "cutover": {
                "type": "mgn:index:Cutover",
                "properties": {"sourceServerIds": [S1, S2], "requireSuccessfulTest": True},
                "options": {**on_provider, "dependsOn": ["${test}", "${settings}"]},
            },
        },
        "outputs": {"instances": "${cutover.launchedInstanceIds}"},
    }
    project = YamlProject.create(tmp_path, program)

    preview = project.preview()
    assert writes(emulator) == [], said(preview)

    project.up()
    assert started(emulator, "StartTest") == [[S1, S2]]
    assert started(emulator) == [[S1, S2]]
    first = project.outputs()["instances"]
    # MGN deletes a server's test instance when it launches its cutover: one instance each, the cutover's.
    assert_one_running_instance_each(emulator, first, (S1, S2))
    described = ec2_client(emulator).describe_instances(InstanceIds=[first[S1]])["Reservations"]
    assert [i["InstanceType"] for r in described for i in r["Instances"]] == ["t3.small"]  # s-1's LaunchSettings

    again = project.up("--expect-no-changes")
    assert started(emulator, "StartTest") == [[S1, S2]] and started(emulator) == [[S1, S2]], said(again)
    assert project.changes()[0] == {"same": 5}, said(again)  # the stack, the provider and the three resources
    assert project.outputs()["instances"] == first

    # The console's "Revert to ready for cutover", with its offer to terminate the launched instance taken.
    mgn_client.change_server_life_cycle_state(sourceServerID=S2, lifeCycle={"state": "READY_FOR_CUTOVER"})
    mgn_client.terminate_target_instances(sourceServerIDs=[S2])
    wait_for_jobs(mgn_client)

    refreshed = project.refresh()
    assert f"{S2} was reverted in MGN after job" in refreshed.stdout, said(refreshed)
    assert f"{S1} was" not in refreshed.stdout, said(refreshed)
    before = writes(emulator)
    preview = project.preview()
    assert writes(emulator) == before, said(preview)

    project.up()
    assert started(emulator) == [[S1, S2], [S2]]
    # The wave's test did its part: MGN deleted its instances when the cutover launched, a revert of that cutover
    # leaves the test done, so only the cutover of s-2 launches again.
    assert started(emulator, "StartTest") == [[S1, S2]]
    now = project.outputs()["instances"]
    assert now[S1] == first[S1] and now[S2] != first[S2]
    assert_one_running_instance_each(emulator, now, (S1, S2))

    project.destroy()
    assert project.resources() == []


# ---- 2. preview refuses a stalled server, read-only ----


def test_a_preview_of_a_cutover_of_a_stalled_server_fails_naming_it_and_writes_nothing(
    tmp_path: Any, emulator: EmulatorServer
) -> None:
    project = YamlProject.create(tmp_path, cutover_program(S4), config=default_provider_config(emulator))

    preview = project.preview(check=False)

    assert preview.returncode != 0, said(preview)
    assert f"{S4}'s data replication is STALLED" in said(preview), said(preview)
    assert writes(emulator) == []
    assert started(emulator) == []


# ---- 3. customTimeouts bound the wait; the next up adopts the job ----


def test_a_custom_timeout_fails_the_up_naming_the_job_and_the_next_up_adopts_it(
    tmp_path: Any, slow_emulator: EmulatorServer
) -> None:
    config = default_provider_config(slow_emulator)
    bounded = cutover_program(S3, options={"customTimeouts": {"create": "2s"}})
    project = YamlProject.create(tmp_path, bounded, config=config)

    failed = project.up(check=False)
    assert failed.returncode != 0, said(failed)
    assert started(slow_emulator) == [[S3]]
    ((job_id, status),) = [(j["jobID"], j["status"]) for j in client_of(slow_emulator.url).describe_jobs()["items"]]
    assert status != "COMPLETED"  # the up gave up on the job, which goes on
    assert f"The cutover job {job_id} did not finish within 2 s; still pending: {S3}" in said(failed), said(failed)
    assert "the job goes on in AWS and the next `pulumi up` adopts it." in said(failed), said(failed)

    project.write(cutover_program(S3))
    adopted = project.up()

    assert started(slow_emulator) == [[S3]]  # adopted, not launched again
    assert f"Adopting cutover job {job_id}, started earlier, for {S3}" in adopted.stdout, said(adopted)
    assert_one_running_instance_each(slow_emulator, project.outputs()["instances"], (S3,))


# ---- 4. import: a job launched outside the stack enters it with no launch ----


def test_a_cutover_launched_outside_is_imported_with_no_launch_and_the_next_up_is_a_no_op(
    tmp_path: Any, emulator: EmulatorServer, mgn_client: Any
) -> None:
    job_id = mgn_client.start_cutover(sourceServerIDs=[S3])["job"]["jobID"]
    wait_for_jobs(mgn_client)
    imported = cutover_program(S3, options={"import": job_id})
    project = YamlProject.create(tmp_path, imported, config=default_provider_config(emulator))

    up = project.up()

    assert started(emulator) == [[S3]]  # the one launch made outside, none by the stack
    assert "1 imported" in up.stdout, said(up)
    (cutover,) = [r for r in project.resources() if r["type"] == "mgn:index:Cutover"]
    assert cutover["id"] == job_id
    assert_one_running_instance_each(emulator, project.outputs()["instances"], (S3,))

    project.write(cutover_program(S3))  # the import option dropped, as after any import
    project.up("--expect-no-changes")
    assert started(emulator) == [[S3]]


# ---- 5. Ctrl-C: one SIGINT ends the up's wait promptly; the job goes on and the next up adopts it ----

#: How soon after the SIGINT the CLI must have exited: the plugin's wait ends within a second of the engine's Cancel,
#: then the CLI writes the state and exits.
CANCEL_EXIT_SECONDS = 6.0


def process_groups() -> dict[int, tuple[int, int, str]]:
    """pid -> (parent pid, process group, command line) of every process, as ps lists them (-ww: whole command
    lines, which ps otherwise cuts at the width of the terminal it guesses, or of COLUMNS)."""
    listed = subprocess.run(["ps", "-ww", "-eo", "pid=,ppid=,pgid=,args="], capture_output=True, text=True, check=True)
    found = {}
    for line in listed.stdout.splitlines():
        pid, ppid, pgid, args = (line.split(None, 3) + [""])[:4]
        found[int(pid)] = (int(ppid), int(pgid), args)
    return found


@pytest.mark.parametrize("interrupted", ["terminal", "cli"])
def test_one_ctrl_c_mid_wait_ends_the_up_promptly_and_the_next_up_adopts_the_job(
    tmp_path: Any, slow_emulator: EmulatorServer, interrupted: str
) -> None:
    """``terminal``: SIGINT to the CLI's whole process group, as a terminal's Ctrl-C; ``cli``: to the CLI alone."""
    project = YamlProject.create(tmp_path, cutover_program(S3), config=default_provider_config(slow_emulator))
    up = project.start("up", "--yes", "--stack", STACK, "--non-interactive")
    try:
        deadline = time.monotonic() + 120
        while slow_emulator.call_count("StartCutover") == 0:
            assert up.poll() is None and time.monotonic() < deadline, up.communicate(timeout=30)[0]
            time.sleep(0.05)
        time.sleep(1.0)  # into the wait
        groups = process_groups()
        plugins = [pid for pid, (ppid, _, args) in groups.items() if ppid == up.pid and "mgn_resources.plugin" in args]
        # Pulumi starts each plugin in a process group of its own (cmdutil.RegisterProcessGroup: Setpgid), so a
        # terminal's Ctrl-C reaches the CLI alone, which sends the plugin Cancel.
        assert plugins and all(groups[pid][1] != up.pid for pid in plugins), groups

        interrupted_at = time.monotonic()
        if interrupted == "terminal":
            os.killpg(up.pid, signal.SIGINT)
        else:
            os.kill(up.pid, signal.SIGINT)
        output, _ = up.communicate(timeout=120)
        took = time.monotonic() - interrupted_at
    finally:
        if up.poll() is None:
            os.killpg(up.pid, signal.SIGKILL)
            up.wait()

    ((job_id, status),) = [(j["jobID"], j["status"]) for j in client_of(slow_emulator.url).describe_jobs()["items"]]
    assert up.returncode != 0, output
    assert took < CANCEL_EXIT_SECONDS, f"the CLI exited {took:.1f} s after SIGINT:\n{output}"
    assert status != "COMPLETED"  # the up stopped waiting; the job goes on in MGN
    assert "^C received; cancelling" in output, output
    assert (
        f"The cutover job {job_id} was not waited for to the end: the update was cancelled; the job goes on in MGN "
        "and the next `pulumi up` adopts it."
    ) in output, output
    # The failed create leaves no pending operation and no Cutover in the state: nothing to clear before the next up.
    deployment = json.loads(project.pulumi("stack", "export", "--stack", STACK).stdout)["deployment"]
    assert not deployment.get("pending_operations"), deployment
    assert [r for r in deployment.get("resources") or [] if r["type"] == "mgn:index:Cutover"] == []

    adopted = project.up()

    assert started(slow_emulator) == [[S3]]  # StartCutover once in all: adopted, not launched again
    assert f"Adopting cutover job {job_id}, started earlier, for {S3}" in adopted.stdout, said(adopted)
    assert_one_running_instance_each(slow_emulator, project.outputs()["instances"], (S3,))
