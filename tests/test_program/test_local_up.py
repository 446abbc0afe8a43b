"""The local stack's config and scripts/local-up.sh short of `pulumi up` (the rest: tests/test_e2e/)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from mgn_emulator import load_seed
from tests.harness import REPO_ROOT
from tests.harness.emulator import mgn_client
from tests.harness.loopback import free_port
from tests.harness.program import LOCAL_SEED, local_stack_config
from waves import load_config


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


@pytest.mark.slow
def test_prepare_only_starts_the_emulator_from_the_stack_seed_once(tmp_path: Path) -> None:
    port = free_port()
    project = tmp_path / "project"
    (project / "stacks").mkdir(parents=True)
    shutil.copy(LOCAL_SEED, project / "stacks" / "local-seed.yaml")
    (project / "stacks" / "Pulumi.local.yaml").write_text(
        yaml.safe_dump({"config": {"mgn-cutover:endpointUrl": f"http://127.0.0.1:{port}"}})
    )
    local = project / ".local"
    env = {**os.environ, "MGN_PROJECT_DIR": str(project), "PYTHON": sys.executable}
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
        assert again.returncode == 0 and "already answering" in again.stdout
        assert int((local / "emulator.pid").read_text()) == pid
    finally:
        stopped = run([str(REPO_ROOT / "scripts" / "local-down.sh"), "--emulator-only"], env)
    assert stopped.returncode == 0, stopped.stderr
    assert not (local / "emulator.pid").exists()
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        raise AssertionError(f"emulator pid {pid} still running after local-down.sh")


def test_the_local_stack_endpoint_must_be_a_loopback_emulator(tmp_path: Path) -> None:
    config = tmp_path / "Pulumi.local.yaml"
    config.write_text(yaml.safe_dump({"config": {"mgn-cutover:endpointUrl": "https://mgn.us-east-1.amazonaws.com"}}))
    helper = REPO_ROOT / "scripts" / "local_stack.py"
    result = run([sys.executable, str(helper), "endpoint", str(config)], {**os.environ})
    assert result.returncode == 2
    assert "must be http://127.0.0.1:PORT" in result.stderr
