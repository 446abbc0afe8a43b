"""make cli and make up (scripts/build-cli.sh, scripts/local-up.sh, scripts/pulumi) as a user meets them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import urllib.request
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from tests.harness import REPO_ROOT
from tests.harness.cli import CLI_DIR, LOCAL_DOWN, LOCAL_UP, CliProject, kill_group, require_cli
from tests.harness.emulator import make_seed, mgn_client, server_id
from tests.harness.loopback import free_port

pytestmark = pytest.mark.e2e

BUILD_CLI = REPO_ROOT / "scripts" / "build-cli.sh"
PULUMI = REPO_ROOT / "scripts" / "pulumi"


def emulator_calls(port: int) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_emulator/calls", timeout=5) as reply:
        body = json.load(reply)
    return list(body["calls"] if isinstance(body, dict) else body)


def started_jobs(port: int) -> list[str]:
    return [c["operation"] for c in emulator_calls(port) if c["operation"] in ("StartCutover", "StartTest")]


def wait_for_a_launch(running: subprocess.Popen[str], port: int, timeout: float = 120) -> None:
    """Until the emulator that ``running`` (local-up.sh) started has been asked to launch."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if started_jobs(port):
                return
        except OSError:
            pass  # the emulator is still starting
        assert running.poll() is None, running.communicate()[0]
        time.sleep(0.2)
    raise AssertionError(f"no launch within {timeout} s")


def printed_outputs(stdout: str) -> dict[str, Any]:
    """The stack outputs make up prints last, as JSON."""
    return dict(json.loads(stdout[stdout.rindex("\n{\n") + 1 :]))


def pinned_version() -> str:
    match = re.search(r"^pulumi==([0-9.]+)", (REPO_ROOT / "requirements.txt").read_text(), re.MULTILINE)
    assert match, "requirements.txt must pin pulumi==X.Y.Z"
    return match.group(1)


def test_the_cli_and_the_python_sdk_are_pinned_to_the_same_version() -> None:
    pinned = pinned_version()
    go_mod = (REPO_ROOT / "tools" / "pulumi" / "go.mod").read_text()
    for module in ("pkg", "sdk"):
        assert re.search(rf"github.com/pulumi/pulumi/{module}/v3 v{re.escape(pinned)}(\s|$)", go_mod), module
    assert version("pulumi") == pinned
    if (CLI_DIR / "pulumi").is_file():
        for binary in ("pulumi", "pulumi-language-python"):
            printed = subprocess.run([str(CLI_DIR / binary), "version" if binary == "pulumi" else "-version"],
                                     capture_output=True, text=True, check=True).stdout.strip()
            assert printed == f"v{pinned}", binary


def test_make_cli_without_go_or_a_matching_pulumi_stops_with_one_line(tmp_path: Path) -> None:
    tools = tmp_path / "tools"  # a PATH with the script's tools but neither go nor pulumi, wherever they live here
    tools.mkdir()
    for name in ("bash", "sed", "grep", "cat", "tr", "cut", "sha256sum", "dirname", "readlink", "mkdir", "rm"):
        found = shutil.which(name)
        assert found, name
        (tools / name).symlink_to(found)
    env = {"PATH": str(tools), "HOME": str(tmp_path), "PULUMI_CLI_DIR": str(tmp_path / "bin")}
    result = subprocess.run([str(BUILD_CLI)], env=env, capture_output=True, text=True, check=False)
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert result.returncode == 2
    assert len(lines) == 1, lines
    assert "neither Go" in lines[0] and f"pulumi v{pinned_version()}" in lines[0]


def test_a_second_make_cli_is_quick_and_quiet() -> None:
    require_cli()
    started = time.monotonic()
    result = subprocess.run([str(BUILD_CLI)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout == result.stderr == ""
    assert time.monotonic() - started < 30  # a check of versions and a fingerprint, no build


def test_scripts_pulumi_gives_the_empty_passphrase_and_dummy_credentials_to_stack_local_only(tmp_path: Path) -> None:
    stub = tmp_path / "bin" / "pulumi"  # prints what a real CLI would be given
    stub.parent.mkdir()
    stub.write_text(
        "#!/bin/sh\n"
        'if [ "$1 $2" = "stack --show-name" ]; then echo "${SELECTED:-}"; exit 0; fi\n'
        'echo "passphrase=${PULUMI_CONFIG_PASSPHRASE-unset} key=${AWS_ACCESS_KEY_ID-unset} '
        'backend=$PULUMI_BACKEND_URL home=$PULUMI_HOME"\n'
    )
    stub.chmod(0o755)
    base = {"PATH": os.environ["PATH"], "PULUMI_CLI_DIR": str(stub.parent), "LOCAL_DIR": str(tmp_path / ".local"),
            "AWS_ACCESS_KEY_ID": "AKIAREALKEY"}

    def run(*args: str, **env: str) -> str:
        return subprocess.run([str(PULUMI), *args], env={**base, **env}, capture_output=True, text=True,
                              check=True).stdout.strip()

    local = f"passphrase= key=mgn-emulator backend=file://{tmp_path}/.local/backend home={tmp_path}/.local/pulumi/home"
    assert run("up", "--stack", "local") == local
    assert run("up", "-s", "local") == local
    assert run("stack", "select", "--create", "local") == local
    assert run("preview", SELECTED="local") == local
    assert run("up", "--stack", "prod").startswith("passphrase=unset key=AKIAREALKEY ")
    assert run("up", SELECTED="prod").startswith("passphrase=unset key=AKIAREALKEY ")
    assert run("up", "--stack", "local", PULUMI_CONFIG_PASSPHRASE="mine") == local  # the committed salt's
    assert run("up", "--stack", "prod", PULUMI_CONFIG_PASSPHRASE="mine").startswith("passphrase=mine ")


@pytest.fixture
def local_project(tmp_path: Path) -> Any:
    port = free_port()
    seed = make_seed([1, 2], launch_seconds=4.0, post_launch_seconds=0.5)
    project = CliProject.create(tmp_path, f"http://127.0.0.1:{port}", seed=seed,
                                waves=[{"name": "w1", "sourceServerIds": [server_id(1), server_id(2)]}])
    yield project, port
    project.script(LOCAL_DOWN, "--emulator-only")
    project.kill_processes()  # whatever a failed test left running


def test_make_up_killed_mid_wait_then_make_up_adopts_the_job_and_a_third_changes_nothing(
    local_project: tuple[CliProject, int],
) -> None:
    project, port = local_project
    killed = project.start_in_own_group(LOCAL_UP)
    wait_for_a_launch(killed, port)
    time.sleep(0.5)  # into the wait
    kill_group(killed)  # SIGKILL to the group: the script and pulumi; the plugins have groups of their own
    orphans = {pid: cmd for pid, cmd in project.processes().items() if "mgn_emulator" not in cmd}
    assert any("pulumi.dynamic" in cmd for cmd in orphans.values()), orphans
    assert started_jobs(port) == ["StartCutover"]

    again = project.script(LOCAL_UP)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Removed the lock on stack local left by pulumi" in again.stdout
    assert "Clearing 1 pending create(s) left by a killed run" in again.stdout
    assert "already answering" in again.stdout  # the emulator outlived the kill in its own session
    assert started_jobs(port) == ["StartCutover"]  # adopted, not launched twice
    jobs = mgn_client(f"http://127.0.0.1:{port}").describe_jobs(filters={})["items"]
    assert printed_outputs(again.stdout)["job_ids"]["w1"] == jobs[0]["jobID"]
    assert len(jobs) == 1

    third = project.script(LOCAL_UP)
    assert third.returncode == 0, third.stdout + third.stderr
    assert "2 unchanged" in third.stdout, third.stdout
    assert "pending operations" not in third.stdout + third.stderr  # nothing left over from the killed run
    assert started_jobs(port) == ["StartCutover"]

    down = project.script(LOCAL_DOWN)
    assert down.returncode == 0, down.stdout + down.stderr
    assert "MGN emulator stopped" in down.stdout

    # The killed run's provider host and language host notice their engine is gone and end themselves.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and set(orphans) & set(project.processes()):
        time.sleep(1)
    assert not set(orphans) & set(project.processes()), {p: orphans[p] for p in set(orphans) & set(project.processes())}


def test_make_up_never_clears_the_lock_of_a_live_pulumi(local_project: tuple[CliProject, int]) -> None:
    project, port = local_project
    first = project.start_in_own_group(LOCAL_UP)
    try:
        wait_for_a_launch(first, port)
        second = project.script(LOCAL_UP)
        assert second.returncode != 0
        assert "locked" in second.stdout + second.stderr
        output, _ = first.communicate(timeout=120)
        assert first.returncode == 0, output
    finally:
        if first.poll() is None:
            kill_group(first)
    assert started_jobs(port) == ["StartCutover"]
