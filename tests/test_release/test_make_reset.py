"""`make reset`: the local emulator's state file outlives `make down` and wins over the seed; reset removes it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from mgn_emulator import EmulatorServer
from tests.harness.emulator import lifecycle_state, mgn_client

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "stacks" / "local-seed.yaml"
SERVER = "s-0000000000000b001"  # READY_FOR_CUTOVER in the local seed
MAKE = shutil.which("make")


def server_state(state_file: Path) -> str:
    with EmulatorServer(seed=SEED, state_file=state_file, launch_seconds=0.1) as emulator:
        return lifecycle_state(mgn_client(emulator.url), SERVER)


@pytest.mark.skipif(MAKE is None, reason="needs make")
def test_make_reset_makes_the_next_start_use_the_seed(tmp_path: Path) -> None:
    state_file = tmp_path / "emulator-state.json"  # make's LOCAL points here instead of .local
    with EmulatorServer(seed=SEED, state_file=state_file, launch_seconds=0.1) as emulator:
        mgn_client(emulator.url).start_cutover(sourceServerIDs=[SERVER])
    assert server_state(state_file) == "CUTTING_OVER"  # the state file won over the seed

    done = subprocess.run(
        [MAKE, "--no-print-directory", "reset", f"LOCAL={tmp_path}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert not state_file.exists()
    assert "the next start uses stacks/local-seed.yaml" in done.stdout
    assert server_state(state_file) == "READY_FOR_CUTOVER"


@pytest.mark.skipif(MAKE is None, reason="needs make")
def test_make_reset_refuses_while_the_emulator_runs(tmp_path: Path) -> None:
    state_file = tmp_path / "emulator-state.json"
    state_file.write_text("{}")
    with subprocess.Popen(["sleep", "30"]) as stand_in:  # a live process in the emulator's pid file
        (tmp_path / "emulator.pid").write_text(str(stand_in.pid))
        refused = subprocess.run(
            [MAKE, "--no-print-directory", "reset", f"LOCAL={tmp_path}"],
            cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
        )
        stand_in.kill()
    assert refused.returncode != 0
    assert "the emulator is running" in refused.stderr and "make down" in refused.stderr
    assert state_file.exists()
