"""The GitOps pipelines' steps (examples/gitops/steps/), run as the pipelines run them, through the real pulumi CLI
(scripts/pulumi as PULUMI) against the emulator, on the example's own YAML program (examples/gitops/program/) with
the provider plugin ``mgn``: preview and its posted result, up, and the recover step after a killed runner.

The project is the harness's YamlProject (its own file backend, PULUMI_HOME and the plugin on PATH); only the
program is the example's, under the harness's project name, so its config key is ``mgn-yaml:sourceServerIds``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from mgn_emulator import EmulatorServer
from tests.harness import REPO_ROOT
from tests.harness.cli import PULUMI, kill_group, processes_with_env
from tests.harness.emulator import make_seed, server_entry, server_id
from tests.harness.emulator import mgn_client as client_of
from tests.harness.yaml_project import PROJECT, STACK, YamlProject
from tests.test_e2e.test_cli_per_server import started
from tests.test_e2e.test_make_up import printed_outputs
from tests.test_e2e.test_yaml_plugin import SLOW_LAUNCH_SECONDS, default_provider_config, said, writes

pytestmark = pytest.mark.e2e

GITOPS = REPO_ROOT / "examples" / "gitops"
STEPS = GITOPS / "steps"
S1, S2, S3 = server_id(1), server_id(2), server_id(3)


@pytest.fixture
def emulator_seed() -> dict[str, Any]:
    """s-1 and s-2 ready for cutover, s-3's replication stalled."""
    return make_seed(
        [server_entry(1), server_entry(2), {**server_entry(3), "replication": {"state": "STALLED", "lag_seconds": 45}}]
    )


@pytest.fixture
def slow_emulator(emulator_seed: dict[str, Any]) -> Iterator[EmulatorServer]:
    """An emulator whose launch jobs take SLOW_LAUNCH_SECONDS: a runner can be killed while the up waits."""
    with EmulatorServer(seed=emulator_seed, launch_seconds=SLOW_LAUNCH_SECONDS) as emu:
        yield emu


def example_project(base: Path, emulator: EmulatorServer, *servers: str) -> YamlProject:
    """The example's program (examples/gitops/program/Pulumi.yaml) on the emulator, its wave of ``servers``."""
    program = yaml.safe_load((GITOPS / "program" / "Pulumi.yaml").read_text())
    body = {key: value for key, value in program.items() if key not in ("name", "runtime", "description")}
    config = {**default_provider_config(emulator), f"{PROJECT}:sourceServerIds": list(servers)}
    return YamlProject.create(base, body, config=config)


def step_env(project: YamlProject, **extra: str) -> dict[str, str]:
    """The environment a pipeline gives a step: the CLI (here the project's pinned one), the stack, the Python."""
    return {**project.env(), "PULUMI": str(PULUMI), "STACK": STACK, "PYTHON": sys.executable, **extra}


def run_step(project: YamlProject, name: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(STEPS / name)], cwd=project.root, env=step_env(project, **extra), capture_output=True, text=True,
        timeout=300, check=False,
    )


def locks(project: YamlProject) -> list[Path]:
    return sorted((project.local_dir / "backend" / ".pulumi" / "locks").glob(f"**/{STACK}/*.json"))


def pending_operations(project: YamlProject) -> list[str]:
    exported = json.loads(project.pulumi("stack", "export", "--stack", STACK).stdout)
    return [op["type"] for op in exported["deployment"].get("pending_operations") or []]


def test_a_preview_posts_the_plan_and_writes_nothing_then_up_launches_the_wave(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    project = example_project(tmp_path, emulator, S1, S2)
    posted = tmp_path / "pulumi-preview.md"

    preview = run_step(project, "preview.sh", PREVIEW_RESULT=str(posted))

    assert preview.returncode == 0, said(preview)
    result = posted.read_text()
    assert result.startswith(f"#### `pulumi preview` of stack `{STACK}`: succeeded\n"), result
    assert "+  mgn:index:Cutover wave create" in result, result
    assert "+ 2 to create" in result, result  # the stack and the wave
    assert writes(emulator) == []

    up = run_step(project, "up.sh")

    assert up.returncode == 0, said(up)
    assert started(emulator) == [[S1, S2]]
    outputs = printed_outputs(up.stdout)  # up.sh prints the outputs last, as make up does
    assert set(outputs["instances"]) == {S1, S2}


def test_a_preview_of_a_stalled_server_fails_and_the_posted_result_names_it(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    project = example_project(tmp_path, emulator, S1, S3)
    posted = tmp_path / "pulumi-preview.md"

    preview = run_step(project, "preview.sh", PREVIEW_RESULT=str(posted))

    assert preview.returncode != 0, said(preview)
    result = posted.read_text()
    assert result.startswith(f"#### `pulumi preview` of stack `{STACK}`: failed (exit status "), result
    assert f"{S3}'s data replication is STALLED, not CONTINUOUS" in result, result
    assert writes(emulator) == []


def test_after_a_killed_runner_recover_clears_its_lock_and_pending_create_and_up_launches_nothing_twice(
    tmp_path: Path, slow_emulator: EmulatorServer
) -> None:
    project = example_project(tmp_path, slow_emulator, S1, S2)
    try:
        runner = subprocess.Popen(  # a process group of its own, as a CI runner's job
            [str(STEPS / "up.sh")], cwd=project.root, env=step_env(project), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while not started(slow_emulator):
            assert runner.poll() is None, runner.communicate()[0]
            assert time.monotonic() < deadline, "no StartCutover within 120 s"
            time.sleep(0.2)
        time.sleep(0.5)  # into the wait
        kill_group(runner)  # SIGKILL to the step and pulumi: the runner is gone
        assert len(locks(project)) == 1
        assert pending_operations(project) == ["creating"]

        recovered = run_step(project, "recover.sh")

        assert recovered.returncode == 0, said(recovered)
        assert f"Removed the lock on stack {STACK} left by pulumi" in recovered.stdout, said(recovered)
        assert "Clearing 1 pending create(s) left by a killed run" in recovered.stdout, said(recovered)
        assert locks(project) == []
        assert pending_operations(project) == []

        up = run_step(project, "up.sh")

        assert up.returncode == 0, said(up)
        (job,) = client_of(slow_emulator.url).describe_jobs()["items"]
        job_id = job["jobID"]
        assert f"Adopting cutover job {job_id}, started earlier" in up.stdout, said(up)
        assert started(slow_emulator) == [[S1, S2]]  # one StartCutover: nothing launched twice
        assert printed_outputs(up.stdout)["jobId"] == job_id
        assert "pending operations" not in said(up)
    finally:
        for pid in processes_with_env(f"LOCAL_DIR={project.local_dir}"):  # the killed run's plugin and host
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def test_recover_leaves_a_lock_it_cannot_prove_dead_and_cancel_clears_it(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    """A lock taken on another host (a killed runner elsewhere): this-host mode cannot see that process and leaves
    it, so the up fails with pulumi's own error; cancel mode (the pipelines', one run per stack) removes it."""
    project = example_project(tmp_path, emulator, S1)
    project.up()  # the stack, its backend folders and a launched wave
    assert started(emulator) == [[S1]]
    lock_dir = project.local_dir / "backend" / ".pulumi" / "locks" / "organization" / PROJECT / STACK
    lock_dir.mkdir(parents=True, exist_ok=True)
    foreign = lock_dir / "5b0f6c1e-0000-4000-8000-000000000000.json"
    foreign.write_text(json.dumps(
        {"pid": 4242, "username": "runner", "hostname": "another-runner", "timestamp": "2026-11-28T02:00:00Z"}
    ))

    kept = run_step(project, "recover.sh")
    assert kept.returncode == 0, said(kept)
    assert f"Left the lock on stack {STACK} held by pulumi (pid 4242 on host another-runner" in kept.stdout, said(kept)
    assert foreign.exists()
    blocked = run_step(project, "up.sh")
    assert blocked.returncode != 0
    assert "the stack is currently locked" in said(blocked), said(blocked)

    cancelled = run_step(project, "recover.sh", RECOVER_LOCKS="cancel")
    assert cancelled.returncode == 0, said(cancelled)
    assert not foreign.exists()
    up = run_step(project, "up.sh")
    assert up.returncode == 0, said(up)
    assert started(emulator) == [[S1]]
