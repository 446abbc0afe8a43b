"""State per account and region: what a call sees follows the region it is signed for and its ``accountID``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from mgn_emulator.persistence import StateFileError
from tests.harness.emulator import admin_call, make_seed, mgn_client, server_id

HOME, OTHER = "444455556666", "777788889999"
SEED = make_seed([1, 2], region="eu-west-1", account_id=HOME)


@pytest.fixture
def emu() -> Iterator[EmulatorServer]:
    with EmulatorServer(seed=SEED, launch_seconds=100) as server:
        yield server


def ids(client: Any, **account: str) -> list[str]:
    return [s["sourceServerID"] for s in client.describe_source_servers(**account)["items"]]


def test_calls_see_the_servers_of_the_region_they_are_signed_for(emu: EmulatorServer) -> None:
    ireland, virginia = mgn_client(emu.url, region="eu-west-1"), mgn_client(emu.url, region="us-east-1")
    assert ids(ireland) == [server_id(1), server_id(2)]
    assert ids(virginia) == []
    with pytest.raises(virginia.exceptions.ConflictException, match="does not exist"):
        virginia.start_cutover(sourceServerIDs=[server_id(1)])
    job = ireland.start_cutover(sourceServerIDs=[server_id(1)])["job"]
    assert job["arn"].startswith(f"arn:aws:mgn:eu-west-1:{HOME}:job/")
    assert virginia.describe_jobs()["items"] == []
    assert virginia.describe_job_log_items(jobID=job["jobID"])["items"] == []
    assert [j["jobID"] for j in ireland.describe_jobs()["items"]] == [job["jobID"]]


def test_calls_see_the_account_named_in_account_id(emu: EmulatorServer) -> None:
    client = mgn_client(emu.url, region="eu-west-1")
    assert ids(client, accountID=HOME) == [server_id(1), server_id(2)]
    assert ids(client, accountID=OTHER) == []
    with pytest.raises(client.exceptions.ConflictException, match="does not exist"):
        client.start_test(sourceServerIDs=[server_id(1)], accountID=OTHER)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.finalize_cutover(sourceServerID=server_id(1), accountID=OTHER)
    assert emu.backends.all() == [emu.backend]  # a made-up account leaves nothing behind


def test_the_same_server_id_lives_apart_in_two_accounts(emu: EmulatorServer) -> None:
    emu.add_server(server_id(1), state="READY_FOR_TEST", account_id=OTHER, region="eu-west-1")
    client = mgn_client(emu.url, region="eu-west-1")
    client.start_test(sourceServerIDs=[server_id(1)], accountID=OTHER)
    ours = client.describe_source_servers(filters={"sourceServerIDs": [server_id(1)]})["items"][0]
    theirs = client.describe_source_servers(filters={"sourceServerIDs": [server_id(1)]}, accountID=OTHER)["items"][0]
    assert (ours["lifeCycle"]["state"], theirs["lifeCycle"]["state"]) == ("READY_FOR_CUTOVER", "TESTING")
    assert theirs["arn"] == f"arn:aws:mgn:eu-west-1:{OTHER}:source-server/{server_id(1)}"


def test_tags_follow_the_arn_and_the_signed_region(emu: EmulatorServer) -> None:
    ireland, virginia = mgn_client(emu.url, region="eu-west-1"), mgn_client(emu.url, region="us-east-1")
    arn = ireland.describe_source_servers()["items"][0]["arn"]
    ireland.tag_resource(resourceArn=arn, tags={"wave": "1"})
    assert ireland.list_tags_for_resource(resourceArn=arn)["tags"] == {"wave": "1"}
    with pytest.raises(virginia.exceptions.ResourceNotFoundException):
        virginia.list_tags_for_resource(resourceArn=arn)
    with pytest.raises(ireland.exceptions.ResourceNotFoundException):
        ireland.list_tags_for_resource(resourceArn=arn.replace(HOME, OTHER))


def test_the_call_log_records_region_and_account(emu: EmulatorServer) -> None:
    mgn_client(emu.url, region="eu-west-1").describe_jobs()
    mgn_client(emu.url, region="ap-southeast-2").describe_jobs(accountID=OTHER)
    first, second = emu.calls()
    assert (first.region, first.account_id, second.region, second.account_id) == (
        "eu-west-1", HOME, "ap-southeast-2", OTHER
    )
    logged = admin_call(emu.url, "calls")[1]["calls"]
    assert [(c["region"], c["account_id"]) for c in logged] == [("eu-west-1", HOME), ("ap-southeast-2", OTHER)]


def test_admin_adds_servers_to_any_account_and_region(emu: EmulatorServer) -> None:
    status, body = admin_call(emu.url, f"servers?region=us-west-2&account_id={OTHER}", "POST", {"id": server_id(9)})
    assert (status, body["region"], body["account_id"]) == (200, "us-west-2", OTHER)
    assert ids(mgn_client(emu.url, region="us-west-2"), accountID=OTHER) == [server_id(9)]
    assert ids(mgn_client(emu.url, region="us-west-2")) == []
    assert admin_call(emu.url, "servers?region=moon", "POST", {"id": server_id(8)})[0] == 400
    backends = admin_call(emu.url, "state")[1]["backends"]
    assert [(b["account_id"], b["region"]) for b in backends] == [(HOME, "eu-west-1"), (OTHER, "us-west-2")]


def test_every_account_and_region_survives_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with EmulatorServer(seed=SEED, state_file=state, launch_seconds=100) as emu:
        emu.add_server(server_id(5), region="us-west-2")
        job = mgn_client(emu.url, region="us-west-2").start_test(sourceServerIDs=[server_id(5)], accountID=HOME)
    with EmulatorServer(seed=SEED, state_file=state) as emu:
        west = mgn_client(emu.url, region="us-west-2")
        assert [j["jobID"] for j in west.describe_jobs()["items"]] == [job["job"]["jobID"]]
        assert ids(mgn_client(emu.url, region="eu-west-1")) == [server_id(1), server_id(2)]


def test_the_default_is_us_east_1_and_a_never_released_version_1_state_file_is_refused(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with EmulatorServer(seed=make_seed([1]), state_file=state) as emu:
        assert (emu.backend.region, emu.backend.account_id) == ("us-east-1", "111122223333")
    (stored,) = json.loads(state.read_text())["backends"]
    version_1 = {"format": "mgn-emulator-state/1", "servers": stored["servers"], "jobs": stored["jobs"]}
    state.write_text(json.dumps(version_1))
    with pytest.raises(StateFileError, match="not an emulator state file .*'mgn-emulator-state/3'"):
        EmulatorServer(state_file=state)
