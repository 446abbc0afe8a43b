"""The command line, persistence across restarts, and atomic state writes (real subprocesses)."""

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

import boto3
import pytest
import yaml

from mgn_emulator.persistence import atomic_write
from tests.harness.emulator import ROOT, cli_env, mgn_client, run_cli, server_id

SEED = {"servers": [{"id": server_id(1), "hostname": "web-01", "state": "READY_FOR_CUTOVER"}]}


def start(processes: list[subprocess.Popen[str]], *args: str) -> tuple[subprocess.Popen[str], str]:
    """Start the emulator on a free port; ``processes`` holds it (for the fixture to stop) before anything can fail."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mgn_emulator", "--port", "0", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(),
    )
    processes.append(process)
    assert process.stdout is not None and process.stderr is not None
    line = process.stdout.readline()
    if not line.startswith("MGN emulator listening on http://127.0.0.1:"):
        process.kill()  # before reading stderr to its end, which a live process would never close
        pytest.fail(line + process.stderr.read())
    return process, line.strip().rsplit(" ", 1)[1]


@pytest.fixture
def seed_file(tmp_path: Path) -> Path:
    path = tmp_path / "seed.yaml"
    path.write_text(yaml.safe_dump(SEED))
    return path


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=5)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


@pytest.mark.slow
def test_listening_line_and_clean_stop(seed_file: Path, processes: list[subprocess.Popen[str]]) -> None:
    process, url = start(processes, "--seed", str(seed_file), "--launch-seconds", "0.2")
    assert url.rsplit(":", 1)[1] != "0"
    items = mgn_client(url).describe_source_servers()["items"]
    assert [s["sourceServerID"] for s in items] == [server_id(1)]
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=5) == 0


@pytest.mark.slow
def test_state_survives_restart(seed_file: Path, tmp_path: Path, processes: list[subprocess.Popen[str]]) -> None:
    state = tmp_path / "state.json"
    process, url = start(processes, "--seed", str(seed_file), "--state", str(state), "--launch-seconds", "0.1")
    client = mgn_client(url)
    job = client.start_cutover(sourceServerIDs=[server_id(1)], tags={"wave": "1"})["job"]
    process.kill()  # SIGKILL: no chance to flush anything but what was already written
    process.wait(timeout=5)
    assert json.loads(state.read_text())["backends"][0]["jobs"][0]["job_id"] == job["jobID"]
    process, url = start(processes, "--seed", str(seed_file), "--state", str(state))
    client = mgn_client(url)
    (after,) = client.describe_jobs()["items"]
    assert (after["jobID"], after["status"], after["tags"]) == (job["jobID"], "COMPLETED", {"wave": "1"})
    server = client.describe_source_servers()["items"][0]
    assert server["lifeCycle"]["state"] == "CUTTING_OVER"
    assert server["launchedInstance"]["jobID"] == job["jobID"]
    assert client.list_tags_for_resource(resourceArn=after["arn"])["tags"] == {"wave": "1"}


def test_atomic_write_leaves_old_file_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "state.json"
    atomic_write(target, '{"old": true}')

    def crash(src: str, dst: str) -> None:
        raise OSError("simulated crash before rename")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        atomic_write(target, '{"new": true}')
    assert json.loads(target.read_text()) == {"old": True}
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]  # no temp file left behind


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--port", "http"], "not a port number"),
        (["--launch-seconds", "-1"], "non-negative number of seconds"),
        (["--launch-seconds", "nan"], "finite"),
        (["--launch-seconds", "inf"], "finite"),
        (["--post-launch-seconds=-inf"], "finite"),
        (["--post-launch-seconds", "1e999"], "finite"),
        (["--seed", "/nonexistent/seed.yaml"], "/nonexistent/seed.yaml"),
    ],
)
def test_bad_flags_exit_2_with_one_line(args: list[str], needle: str) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and needle in result.stderr


@pytest.mark.parametrize(
    ("entry", "needle"),
    [
        ({"id": "s-123", "state": "READY_FOR_CUTOVER"}, "servers[0]"),
        ({"id": server_id(1), "state": "FLYING"}, "unknown state 'FLYING'"),
        ({"id": server_id(1), "colour": "blue"}, "unknown key 'colour'"),
    ],
)
def test_bad_seed_exit_2_naming_the_entry(tmp_path: Path, entry: dict[str, str], needle: str) -> None:
    seed = tmp_path / "seed.yaml"
    seed.write_text(yaml.safe_dump({"servers": [entry]}))
    result = run_cli("--seed", str(seed))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and needle in result.stderr
    assert entry["id"] in result.stderr


def ec2_client(url: str) -> Any:
    return boto3.client("ec2", endpoint_url=url, region_name="us-east-1", aws_access_key_id="AKIDTEST",
                        aws_secret_access_key="x")


def _stop(process: subprocess.Popen[str], how: str) -> None:
    if how == "SIGKILL":
        process.kill()  # no chance to flush anything but what was already written
        process.wait(timeout=5)
    else:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=5) == 0


@pytest.mark.slow
@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_ec2_survives_a_restart_with_mgn(
    how: str, seed_file: Path, tmp_path: Path, processes: list[subprocess.Popen[str]]
) -> None:
    state = tmp_path / "state.json"
    args = ("--seed", str(seed_file), "--state", str(state), "--launch-seconds", "0.2")
    process, url = start(processes, *args)
    mgn, ec2 = mgn_client(url), ec2_client(url)
    template = mgn.get_launch_configuration(sourceServerID=server_id(1))["ec2LaunchTemplateID"]
    ec2.create_launch_template_version(LaunchTemplateId=template, LaunchTemplateData={"InstanceType": "m5.large"})
    ec2.modify_launch_template(LaunchTemplateId=template, DefaultVersion="2")
    _stop(process, how)  # right after the acknowledged EC2 writes

    process, url = start(processes, *args)
    mgn, ec2 = mgn_client(url), ec2_client(url)
    assert mgn.get_launch_configuration(sourceServerID=server_id(1))["ec2LaunchTemplateID"] == template
    (found,) = ec2.describe_launch_templates(LaunchTemplateIds=[template])["LaunchTemplates"]
    assert (found["DefaultVersionNumber"], found["LatestVersionNumber"]) == (2, 2)
    job = mgn.start_test(sourceServerIDs=[server_id(1)])["job"]
    deadline = time.monotonic() + 10
    while (done := mgn.describe_jobs()["items"][0])["status"] != "COMPLETED" and time.monotonic() < deadline:
        time.sleep(0.05)
    instance = done["participatingServers"][0]["launchedEc2InstanceID"]
    _stop(process, how)  # right after the launch job completed

    process, url = start(processes, *args)
    mgn, ec2 = mgn_client(url), ec2_client(url)
    server = mgn.describe_source_servers()["items"][0]
    assert server["launchedInstance"] == {"ec2InstanceID": instance, "jobID": job["jobID"], "firstBoot": "SUCCEEDED"}
    (found,) = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"]
    assert (found["State"]["Name"], found["InstanceType"]) == ("running", "m5.large")
    _stop(process, "SIGTERM")


@pytest.mark.slow
def test_without_moto_the_emulator_refuses_to_start_in_one_line(tmp_path: Path) -> None:
    fake = tmp_path / "fake" / "moto"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('No module named moto (test)')\n")
    env = {**cli_env(), "PYTHONPATH": os.pathsep.join([str(fake.parent), str(ROOT)])}
    result = subprocess.run([sys.executable, "-m", "mgn_emulator", "--port", "0"], cwd=ROOT,
                            capture_output=True, text=True, timeout=30, env=env)
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("mgn-emulator: error: ") and "moto" in line
    assert "pip install 'mgn-cutover[emulator]'" in line and "make up" in line

    script = "from mgn_emulator import EmulatorServer\ntry:\n    EmulatorServer()\nexcept Exception as e:\n" \
             "    print(type(e).__name__, e)\nelse:\n    print('started')\n"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=30,
                            env=env)
    assert result.stdout.startswith("MotoMissing ") and "pip install" in result.stdout, result
