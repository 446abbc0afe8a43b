"""`make up` and scripts/local-up.sh: the steps short of `pulumi up` always; the real CLI when it is on PATH."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mgn_resources.emulator import load_seed
from tests.harness import REPO_ROOT
from tests.harness.mgn import mgn_client
from tests.harness.program import LOCAL_SEED, local_stack_config
from waves import load_config

PULUMI_MISSING = "pulumi CLI not found: install it from https://www.pulumi.com/docs/install/ and re-run make up"
MAKE = shutil.which("make")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def test_local_stack_config_parses_and_its_servers_are_in_the_seed() -> None:
    config = local_stack_config()
    program = load_config(lambda key: config.get(f"mgn-cutover:{key}"))
    seeded = {s.server_id for s in load_seed(LOCAL_SEED).servers}
    assert [w.name for w in program.waves] == ["wave-1", "wave-2"]
    assert any(w.test for w in program.waves) and program.tag_instances is False
    assert program.endpoint_url == "http://127.0.0.1:4599"
    assert config["aws:region"] == "us-east-1"
    assert {s for w in program.waves for s in w.source_server_ids} <= seeded


def test_prepare_only_starts_the_emulator_from_the_local_seed(tmp_path: Path) -> None:
    local = tmp_path / ".local"
    port = free_port()
    env = {**os.environ, "LOCAL_DIR": str(local), "LOCAL_EMULATOR_PORT": str(port), "PYTHON": sys.executable}
    started = run([str(REPO_ROOT / "scripts" / "local-up.sh"), "--prepare-only"], env)
    try:
        assert started.returncode == 0, started.stderr
        assert f"listening on http://127.0.0.1:{port}" in started.stdout
        assert (local / "backend").is_dir()
        assert (local / "emulator-state.json").is_file()
        pid = int((local / "emulator.pid").read_text())
        os.kill(pid, 0)  # running

        servers = mgn_client(f"http://127.0.0.1:{port}").describe_source_servers(filters={})["items"]
        seeded = yaml.safe_load(LOCAL_SEED.read_text())["servers"]
        assert {s["sourceServerID"] for s in servers} == {s["id"] for s in seeded}

        again = run([str(REPO_ROOT / "scripts" / "local-up.sh"), "--prepare-only"], env)
        assert again.returncode == 0 and "already running" in again.stdout
    finally:
        stopped = run([str(REPO_ROOT / "scripts" / "local-down.sh"), "--emulator-only"], env)
    assert stopped.returncode == 0, stopped.stderr
    assert not (local / "emulator.pid").exists()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


@pytest.mark.skipif(MAKE is None, reason="make is not installed")
def test_make_up_without_pulumi_stops_with_one_line() -> None:
    path = os.pathsep.join(p for p in ("/usr/local/bin", "/usr/bin", "/bin") if os.path.isdir(p))
    if shutil.which("pulumi", path=path):
        pytest.skip("pulumi is installed in a system folder; cannot hide it")
    # As a user's shell runs it: not nested in another make (as `make test` would make it).
    env = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES")}
    result = run([str(MAKE), "up"], {**env, "PATH": path})
    output = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert result.returncode != 0
    assert len(output) == 1, output
    assert PULUMI_MISSING in output[0]


@pytest.mark.pulumi_cli
@pytest.mark.skipif(shutil.which("pulumi") is None, reason="the pulumi CLI is not on PATH")
@pytest.mark.skipif(MAKE is None, reason="make is not installed")
def test_make_up_refresh_down_with_the_pulumi_cli(tmp_path: Path) -> None:
    with socket.socket() as sock:
        if sock.connect_ex(("127.0.0.1", 4599)) == 0:
            pytest.skip("port 4599 is in use; the local stack needs it for the emulator")
    env = {**os.environ, "LOCAL_DIR": str(tmp_path / ".local"), "PULUMI_CONFIG_PASSPHRASE": ""}
    pulumi_env = {**env, "PULUMI_BACKEND_URL": f"file://{tmp_path / '.local' / 'backend'}"}
    try:
        up = run([str(MAKE), "up"], env, timeout=900)
        assert up.returncode == 0, up.stdout + up.stderr
        assert "job_ids" in up.stdout and "mgnjob-" in up.stdout
        refresh = run(["pulumi", "refresh", "--yes", "--stack", "local", "--non-interactive"], pulumi_env, 600)
        assert refresh.returncode == 0, refresh.stdout + refresh.stderr
    finally:
        down = run([str(MAKE), "down"], env, timeout=900)
    assert down.returncode == 0, down.stdout + down.stderr
