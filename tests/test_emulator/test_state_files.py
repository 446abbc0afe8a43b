"""Bad files: corrupt state files, seeds that are not text or not files, symlinks, leftovers, failing saves."""

from __future__ import annotations

import base64
import copy
import json
import os
import pickle
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from mgn_emulator import EmulatorServer, SeedError
from mgn_emulator.persistence import StateFileError
from tests.harness.emulator import admin_call, make_seed, mgn_client, run_cli, server_id

SEED = make_seed([1, 2, 3])


@pytest.fixture(scope="module")
def good_state(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A state file as the emulator writes it: three servers, one of them in a cutover job."""
    path = tmp_path_factory.mktemp("good") / "state.json"
    with EmulatorServer(seed=SEED, state_file=path, launch_seconds=100) as emu:
        mgn_client(emu.url).start_cutover(sourceServerIDs=[server_id(1)])
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _server(data: dict[str, Any], index: int = 0) -> dict[str, Any]:
    server: dict[str, Any] = data["backends"][0]["servers"][index]
    return server


def _job(data: dict[str, Any]) -> dict[str, Any]:
    job: dict[str, Any] = data["backends"][0]["jobs"][0]
    return job


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], Any]:
    return lambda data: _server(data).__setitem__(key, value)


def _ec2(key: str, value: Any) -> Callable[[dict[str, Any]], Any]:
    return lambda data: data["ec2"].__setitem__(key, value)


def _blob(raw: bytes) -> str:
    return base64.b64encode(zlib.compress(raw)).decode()


CORRUPTIONS: dict[str, tuple[Callable[[dict[str, Any]], Any], str]] = {
    "top-level-list": (lambda d: [d], "not an emulator state file"),
    "backends-not-a-list": (lambda d: d.__setitem__("backends", {}), "backends: expected a list"),
    "server-not-an-object": (lambda d: d["backends"][0]["servers"].append("s-1"), "expected an object"),
    "missing-key": (lambda d: _server(d).pop("state"), "missing key 'state'"),
    "unknown-key": (_set("colour", "blue"), "unknown key 'colour'"),
    "duplicate-server-id": (lambda d: d["backends"][0]["servers"].append(_server(d)), "listed twice"),
    "integer-server-id": (_set("server_id", 5), "expected a string"),
    "malformed-server-id": (_set("server_id", "s-1"), "is not a server ID"),
    "naive-timestamp": (_set("added", "2026-11-28T02:00:00"), "has no time zone"),
    "not-a-timestamp": (_set("added", "yesterday"), "not an ISO 8601 timestamp"),
    "unknown-state": (_set("state", "FLYING"), "'FLYING' is not a LifeCycleState"),
    "tags-not-strings": (_set("tags", {"a": 1}), "expected an object of strings"),
    "boolean-as-string": (_set("archived", "no"), "expected a boolean"),
    "job-names-unknown-server": (
        lambda d: _job(d)["servers"][0].__setitem__("server_id", server_id(99)), "which is not stored"
    ),
    "server-in-two-active-jobs": (
        lambda d: d["backends"][0]["jobs"].append({**copy.deepcopy(_job(d)), "job_id": "mgnjob-" + "b" * 17}),
        "is in active jobs",
    ),
    "duplicate-job-id": (
        lambda d: d["backends"][0]["jobs"].append({**copy.deepcopy(_job(d)), "settled": True}), "listed twice"
    ),
    "negative-duration": (lambda d: _job(d).__setitem__("launch_seconds", -1), "non-negative"),
    "bad-account": (lambda d: d["backends"][0].__setitem__("account_id", 1234), "12-digit"),
    "duplicate-backend": (lambda d: d["backends"].append(d["backends"][0]), "listed twice"),
    "deep-nesting": (_set("tags", json.loads("[" * 500 + "]" * 500)), "nested deeper than"),
    # EC2's part: the same strictness, and only this moto's EC2 of the named account
    "ec2-missing": (lambda d: d.pop("ec2"), "the top level: missing key 'ec2'"),
    "ec2-not-an-object": (lambda d: d.__setitem__("ec2", "lt-1"), "ec2: expected an object"),
    "ec2-unknown-key": (_ec2("colour", "blue"), "ec2: unknown key 'colour'"),
    "ec2-missing-key": (lambda d: d["ec2"].pop("moto"), "ec2: missing key 'moto'"),
    "ec2-bad-account": (_ec2("account_id", "9000"), "ec2.account_id: '9000' is not a 12-digit account ID"),
    "ec2-other-moto": (_ec2("moto", "4.0.0"), "saved by moto 4.0.0"),
    "ec2-blob-not-a-string": (_ec2("backends", {}), "ec2.backends: expected a string"),
    "ec2-not-base64": (_ec2("backends", "not base64!"), "ec2.backends: not base64"),
    "ec2-not-a-pickle": (_ec2("backends", _blob(b"half a pickle")), "ec2.backends: not a pickle of moto's EC2"),
    "ec2-foreign-pickle": (_ec2("backends", _blob(pickle.dumps(os.system))), "which moto's EC2 never holds"),
    "ec2-not-backends": (_ec2("backends", _blob(pickle.dumps({"us-east-1": [1]}))), "not moto's EC2 backends"),
    "ec2-other-account": (_ec2("account_id", "999999999999"), "not account 999999999999 in us-east-1"),
}


def _corrupt(good: dict[str, Any], name: str, path: Path) -> str:
    change, needle = CORRUPTIONS[name]
    data = copy.deepcopy(good)
    replaced = change(data)
    path.write_text(json.dumps(replaced if isinstance(replaced, list) else data))
    return needle


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_a_corrupt_state_file_is_refused_in_one_line_naming_it(
    good_state: dict[str, Any], tmp_path: Path, name: str
) -> None:
    path = tmp_path / "state.json"
    needle = _corrupt(good_state, name, path)
    with pytest.raises(StateFileError) as refused:
        EmulatorServer(state_file=path)
    message = str(refused.value)
    assert message.startswith(f"state file {path}: ") and "\n" not in message
    assert needle in message


RAW_CORRUPTIONS = {
    "deep-nesting-past-the-parser": b'{"format": "mgn-emulator-state/2", "backends": ' + b"[" * 100_000,
    "nan": b'{"format": "mgn-emulator-state/2", "backends": NaN}',
    "not-json": b"{not json",
    "not-utf-8": b'{"format": "\xff\xfe"}',
}


@pytest.mark.parametrize("name", list(RAW_CORRUPTIONS))
def test_a_state_file_that_is_not_json_is_refused_in_one_line(tmp_path: Path, name: str) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(RAW_CORRUPTIONS[name])
    with pytest.raises(StateFileError) as refused:
        EmulatorServer(state_file=path)
    assert str(refused.value).startswith(f"state file {path}: ") and "\n" not in str(refused.value)


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    ["top-level-list", "duplicate-server-id", "integer-server-id", "naive-timestamp", "deep-nesting", "ec2-other-moto",
     "ec2-foreign-pickle"],
)
def test_the_command_line_exits_2_with_one_line(good_state: dict[str, Any], tmp_path: Path, name: str) -> None:
    path = tmp_path / "state.json"
    needle = _corrupt(good_state, name, path)
    result = run_cli("--port", "0", "--state", str(path))
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"mgn-emulator: error: state file {path}: ") and needle in line
    if name == "ec2-other-moto":
        assert "make reset" in line and "fresh state file" in line


@pytest.mark.slow
def test_a_state_path_that_cannot_be_written_is_named_not_reported_as_cannot_listen(tmp_path: Path) -> None:
    path = tmp_path / "missing-folder" / "state.json"
    result = run_cli("--port", "0", "--state", str(path))
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert f"state file {path}: cannot be written" in line and "listen" not in line


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["directory", "fifo"])
def test_a_state_path_that_is_not_a_file_gives_one_line(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "state.json"
    path.mkdir() if kind == "directory" else os.mkfifo(path)
    result = run_cli("--port", "0", "--state", str(path))  # a FIFO with no writer must not block the start
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert f"state file {path}: " in line


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["not-utf-8", "directory", "fifo", "deep", "nan-seconds"])
def test_a_seed_that_is_not_a_text_file_gives_one_line(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "seed.yaml"
    if kind == "not-utf-8":
        path.write_bytes(b"servers:\n  - id: s-00000000000000001\n    hostname: caf\xe9\n")
    elif kind == "directory":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "deep":
        path.write_text("servers: " + "[" * 5000 + "]" * 5000)
    else:
        path.write_text("launch_seconds: .nan\n")
    with pytest.raises(SeedError) as refused:
        EmulatorServer(seed=path)
    assert str(refused.value).startswith(f"seed file {path}: ") and "\n" not in str(refused.value)
    result = run_cli("--port", "0", "--seed", str(path))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and str(path) in result.stderr


def test_a_symlinked_state_file_is_written_through(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "mgn.json"
    link = tmp_path / "state.json"
    link.symlink_to(real)  # dangling until the first save
    with EmulatorServer(seed=SEED, state_file=link) as emu:
        job = mgn_client(emu.url).start_cutover(sourceServerIDs=[server_id(1)])["job"]
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert json.loads(real.read_text())["backends"][0]["jobs"][0]["job_id"] == job["jobID"]
    with EmulatorServer(state_file=link) as emu:  # and it is read back through the link
        assert emu.backend.job(job["jobID"])


@pytest.mark.slow
def test_orphaned_temp_files_are_removed_at_start(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    orphans = [tmp_path / ".state.json.ab_cd123.tmp", tmp_path / ".state.json.zzzzzzzz.tmp"]
    others = [tmp_path / ".state.json.keep", tmp_path / "other.tmp", tmp_path / ".other.json.abcdefgh.tmp"]
    for path in orphans + others:
        path.write_text("{half a write")
    EmulatorServer(seed=SEED, state_file=state)
    assert [p for p in orphans if p.exists()] == []
    assert all(p.exists() for p in others)
    assert json.loads(state.read_text())["format"] == "mgn-emulator-state/3"


def test_a_failing_save_answers_500_and_changes_nothing(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with EmulatorServer(seed=SEED, state_file=state, launch_seconds=100) as emu:
        client = mgn_client(emu.url)
        first = client.start_cutover(sourceServerIDs=[server_id(1)])["job"]["jobID"]
        state.unlink()
        state.mkdir()  # from now on the rename onto the state file fails
        with pytest.raises(client.exceptions.InternalServerException, match="state file") as failed:
            client.start_cutover(sourceServerIDs=[server_id(2)])
        assert "was not carried out" in str(failed.value)
        assert admin_call(emu.url, "servers", "POST", {"id": server_id(7)})[0] == 500
        servers = {s["sourceServerID"]: s for s in client.describe_source_servers()["items"]}
        assert set(servers) == {server_id(1), server_id(2), server_id(3)}  # server 7 was not added
        assert servers[server_id(2)]["lifeCycle"]["state"] == "READY_FOR_CUTOVER"
        assert servers[server_id(2)]["lifeCycle"]["lastCutover"] == {}
        assert [j["jobID"] for j in client.describe_jobs()["items"]] == [first]
        state.rmdir()
        second = client.start_cutover(sourceServerIDs=[server_id(2)])["job"]["jobID"]
    stored = json.loads(state.read_text())["backends"][0]
    assert {j["job_id"] for j in stored["jobs"]} == {first, second}
    assert sorted(s["server_id"] for s in stored["servers"]) == [server_id(1), server_id(2), server_id(3)]


def test_seed_region_and_account_must_be_well_formed(tmp_path: Path) -> None:
    for top, needle in (({"region": "us-east1"}, "region"), ({"account_id": 111122223333}, "account_id")):
        path = tmp_path / "seed.yaml"
        path.write_text(yaml.safe_dump({**SEED, **top}))
        with pytest.raises(SeedError, match=needle):
            EmulatorServer(seed=path)
