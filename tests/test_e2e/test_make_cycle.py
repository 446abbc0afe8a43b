"""The README's cycle as a user runs it, through make and the real pulumi CLI, on a copy of the local stack:
make up, make up (nothing launches), make down, make up, kill -9 of the emulator, make up, make down, make reset,
make up, make down. After every up, each instance the outputs name runs in the emulator's EC2."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.harness import REPO_ROOT
from tests.harness.cli import LOCAL_UP, CliProject, kill_group
from tests.harness.emulator import mgn_client
from tests.harness.loopback import free_port
from tests.harness.program import LOCAL_SEED, local_stack_config

from .test_make_up import printed_outputs, wait_for_a_launch

pytestmark = pytest.mark.e2e

MAKE = shutil.which("make")
HELPER = REPO_ROOT / "scripts" / "local_stack.py"


class MakeProject:
    """A copy of the local stack (its waves, launch settings and seed) on a port of its own, driven by make."""

    def __init__(self, tmp_path: Path, launch_seconds: float = 1.0) -> None:
        self.port = free_port()
        seed = yaml.safe_load(LOCAL_SEED.read_text())
        seed.update(launch_seconds=launch_seconds, post_launch_seconds=0.5)  # the same jobs, sooner
        waves = local_stack_config()["mgn-cutover:waves"]
        self.project = CliProject.create(tmp_path, f"http://127.0.0.1:{self.port}", seed=seed, waves=waves)
        self.project.configure(tagInstances="false")

    def make(self, target: str, *variables: str) -> subprocess.CompletedProcess[str]:
        assert MAKE is not None
        done = subprocess.run(
            [MAKE, "--no-print-directory", target, *variables], cwd=REPO_ROOT, env=self.project.env(),
            capture_output=True, text=True, timeout=600, check=False,
        )
        assert done.returncode == 0, f"make {target} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        return done

    def up(self) -> tuple[str, dict[str, Any]]:
        done = self.make("up")
        outputs = printed_outputs(done.stdout)
        self.assert_instances_run(outputs)
        return done.stdout, outputs

    def assert_instances_run(self, outputs: dict[str, Any]) -> None:
        """scripts/local_stack.py running-instances: every instance in the outputs runs in the emulator's EC2."""
        checked = subprocess.run(
            [sys.executable, str(HELPER), "running-instances", str(self.project.stack_file)],
            input=json.dumps(outputs),
            capture_output=True, text=True, timeout=60, check=False,
        )
        assert checked.returncode == 0, checked.stderr
        assert checked.stdout.count(": running") == 4, checked.stdout  # two waves of two servers

    def launches(self) -> int:
        counted = subprocess.run(
            [sys.executable, str(HELPER), "launches", "127.0.0.1", str(self.port)],
            capture_output=True, text=True, timeout=60, check=True,
        )
        return int(counted.stdout)

    def emulator_pid(self) -> int:
        return int((self.project.local_dir / "emulator.pid").read_text())


@pytest.fixture
def make_project(tmp_path: Path) -> Any:
    if MAKE is None:
        pytest.skip("needs make")
    project = MakeProject(tmp_path)
    yield project
    project.project.script(REPO_ROOT / "scripts" / "local-down.sh", "--emulator-only")
    project.project.kill_processes()


def test_up_up_down_up_kill_up_down_reset_up_down(make_project: MakeProject) -> None:
    first_out, first = make_project.up()
    assert make_project.launches() == 3  # wave-1's test and cutover, wave-2's cutover

    second_out, second = make_project.up()
    assert make_project.launches() == 3, second_out  # nothing launches
    assert "unchanged" in second_out and " created" not in second_out
    assert second["instance_ids"] == first["instance_ids"]

    make_project.make("down")
    _, after_down = make_project.up()
    # wave-1 keeps on_delete=retain: its launches are adopted again; wave-2 (on_delete=revert) launches anew.
    assert after_down["instance_ids"]["wave-1"] == first["instance_ids"]["wave-1"]
    assert not set(after_down["instance_ids"]["wave-2"].values()) & set(first["instance_ids"]["wave-2"].values())

    pid = make_project.emulator_pid()
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and Path(f"/proc/{pid}").exists() and "Z" not in _state(pid):
        time.sleep(0.1)
    after_kill_out, after_kill = make_project.up()
    assert "listening on" in after_kill_out  # the killed emulator was started again, from its state file
    assert make_project.emulator_pid() != pid
    assert after_kill["instance_ids"] == after_down["instance_ids"]  # same instances: EC2 kept them
    assert make_project.launches() == 0  # a new emulator's call log: nothing launched again

    make_project.make("down")
    reset = make_project.make("reset", f"LOCAL={make_project.project.local_dir}")
    assert "the next start uses stacks/local-seed.yaml" in reset.stdout
    assert not (make_project.project.local_dir / "emulator-state.json").exists()
    make_project.up()
    assert make_project.launches() == 3  # a seeded emulator: launched afresh
    make_project.make("down")


def test_an_emulator_killed_during_a_job_then_make_up_adopts_the_job_and_its_instances_run(tmp_path: Path) -> None:
    """The job and its instances outlive the emulator: the next make up adopts them instead of failing."""
    if MAKE is None:
        pytest.skip("needs make")
    project = MakeProject(tmp_path, launch_seconds=4.0)
    try:
        running = project.project.start_in_own_group(LOCAL_UP)
        wait_for_a_launch(running, project.port)
        jobs = mgn_client(f"http://127.0.0.1:{project.port}").describe_jobs(filters={})["items"]
        assert [j["type"] for j in jobs] == ["LAUNCH"] and jobs[0]["status"] != "COMPLETED"
        os.kill(project.emulator_pid(), signal.SIGKILL)  # mid-job: the job and its launch are in the state file
        try:
            running.communicate(timeout=300)  # the interrupted up ends (it cannot reach MGN), whatever it says
        finally:
            if running.poll() is None:
                kill_group(running)

        _, outputs = project.up()  # starts the emulator again from its state file
        assert outputs["test_job_ids"]["wave-1"] == jobs[0]["jobID"]  # adopted, not launched again
        refreshed = project.project.refresh()  # launch settings and launches read back after the restart
        assert "error" not in refreshed.stdout.lower(), refreshed.stdout
        project.make("down")
    finally:
        project.project.script(REPO_ROOT / "scripts" / "local-down.sh", "--emulator-only")
        project.project.kill_processes()


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "X"
