"""Applications and waves in the seed and in the state file: declared, kept across restarts, read strictly, and
old state files without them still load."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mgn_emulator import EmulatorServer, SeedError, load_seed
from mgn_emulator.persistence import StateFileError
from mgn_emulator.seed import seed_id
from tests.harness.emulator import admin_call, make_seed, mgn_client, server_entry, server_id

S1, S2, S3, DONE = (server_id(n) for n in (1, 2, 3, 4))
SERVERS = [server_entry(1), server_entry(2), server_entry(3), server_entry(4, state="CUTOVER", archived=True)]
WEB, DB = seed_id("app-", "web"), "app-0000000000000db01"

SEED_YAML = f"""
servers:
  - {{id: {S1}, state: READY_FOR_TEST}}
  - {{id: {S2}}}
  - {{id: {S3}}}
  - {{id: {DONE}, state: CUTOVER, archived: true}}
applications:
  - name: web
    description: the web tier
    servers: [{S1}, {S2}]
    tags: {{team: a}}
  - id: {DB}
    name: db
    servers: [{S3}]
  - name: old
    servers: [{DONE}]
    archived: true
waves:
  - name: wave 1
    applications: [web, {DB}]
    tags: {{phase: "1"}}
  - name: wave 0
    applications: [old]
"""


def applications(client: Any, **params: Any) -> dict[str, dict[str, Any]]:
    return {a["name"]: a for a in client.list_applications(**params)["items"]}


def waves(client: Any, **params: Any) -> dict[str, dict[str, Any]]:
    return {w["name"]: w for w in client.list_waves(**params)["items"]}


def application_of(client: Any) -> dict[str, str | None]:
    return {s["sourceServerID"]: s.get("applicationID") for s in client.describe_source_servers()["items"]}


def test_the_seed_declares_applications_and_waves(tmp_path: Path) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(SEED_YAML)
    with EmulatorServer(seed=path) as emu:
        client = mgn_client(emu.url)
        apps = applications(client)
        assert (apps["web"]["applicationID"], apps["db"]["applicationID"]) == (WEB, DB)
        assert WEB == seed_id("app-", "web") and WEB.startswith("app-") and len(WEB) == 21  # stable: the name's hash
        assert (apps["web"]["description"], apps["web"]["tags"]) == ("the web tier", {"team": "a"})
        assert apps["web"]["applicationAggregatedStatus"]["totalSourceServers"] == 2
        assert apps["old"]["isArchived"] is True
        assert application_of(client) == {S1: WEB, S2: WEB, S3: DB, DONE: apps["old"]["applicationID"]}
        found = waves(client)
        first = found["wave 1"]["waveID"]
        assert first == seed_id("wave-", "wave 1") and found["wave 1"]["tags"] == {"phase": "1"}
        assert apps["web"]["waveID"] == apps["db"]["waveID"] == first
        assert found["wave 0"]["waveAggregatedStatus"]["totalApplications"] == 1
        assert [a["name"] for a in client.list_applications(filters={"waveIDs": [first]})["items"]] == ["web", "db"]
        servers = client.describe_source_servers(filters={"applicationIDs": [WEB]})["items"]
        assert [s["sourceServerID"] for s in servers] == [S1, S2]


GOOD = {"servers": SERVERS, "applications": [{"name": "web", "servers": [S1]}], "waves": [{"name": "w"}]}


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"applications": {}}, "'applications' must be a list"),
        ({"applications": [{"servers": [S1]}]}, "applications[0]: name None breaks the model's ApplicationName"),
        ({"applications": [{"name": " web"}]}, "applications[0] ( web): name ' web' breaks the model's"),
        ({"applications": [{"name": "w" * 257}]}, "less than or equal to 256"),
        ({"applications": [{"name": "web", "description": "a\x00b"}]}, "ApplicationDescription"),
        ({"applications": [{"name": "web", "tags": {f"k{n}": "v" for n in range(51)}}]}, "TagsMap"),
        ({"applications": [{"name": "web", "id": "app-1"}]}, "id 'app-1' is not a application ID"),
        ({"applications": [{"name": "web", "servers": [server_id(9)]}]}, f"names {server_id(9)}, which this seed"),
        ({"applications": [{"name": "web", "servers": [S1, S1]}]}, "servers lists one twice"),
        ({"applications": [{"name": "web", "servers": [S1]}, {"name": "db", "servers": [S1]}]},
         f"applications[1] (db): {S1} is in web already (one application at most)"),
        ({"applications": [{"name": "web"}, {"name": "web"}]}, "its id is listed twice"),
        ({"applications": [{"name": "web", "id": DB}, {"name": "db", "id": DB}]}, "its id is listed twice"),
        ({"applications": [{"name": "web", "servers": [S1], "archived": True}]},
         f"it is archived, so {S1} must be archived too"),
        ({"applications": [{"name": "web", "archived": "yes"}]}, "archived must be true or false"),
        ({"applications": [{"name": "web", "hosts": []}]}, "unknown key 'hosts'"),
        ({"waves": [{"name": "w", "applications": ["db"]}]}, "waves[0] (w): applications names db, which this seed"),
        ({"waves": [{"name": "w", "applications": ["web"]}, {"name": "v", "applications": [WEB]}]},
         f"waves[1] (v): {WEB} is in w already (one wave at most)"),
        ({"waves": [{"name": "w", "applications": ["web"], "archived": True}]}, "so " + WEB + " must be archived"),
        ({"waves": [{"name": "w", "id": "app-00000000000000001"}]}, "is not a wave ID"),
        ({"waves": [{"name": "w", "servers": []}]}, "unknown key 'servers'"),
    ],
)
def test_bad_applications_and_waves_in_the_seed_name_the_entry(change: dict[str, Any], needle: str) -> None:
    with pytest.raises(SeedError) as caught:
        load_seed({**GOOD, **change})
    assert needle in str(caught.value)


def test_state_files_keep_applications_and_waves(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    seed = make_seed(SERVERS)
    with EmulatorServer(seed=seed, state_file=state) as emu:
        client = mgn_client(emu.url)
        web = client.create_application(name="web", description="d", tags={"team": "a"})["applicationID"]
        client.associate_source_servers(applicationID=web, sourceServerIDs=[S1, S2])
        old = client.create_application(name="old")["applicationID"]
        client.associate_source_servers(applicationID=old, sourceServerIDs=[DONE])
        first = client.create_wave(name="first", tags={"phase": "1"})["waveID"]
        client.associate_applications(waveID=first, applicationIDs=[web, old])
        client.archive_application(applicationID=old)
        client.archive_wave(waveID=client.create_wave(name="done")["waveID"])
        other = client.create_application(name="elsewhere", accountID="444455556666")
        client.tag_resource(resourceArn=other["arn"], tags={"k": "v"})
        before = (applications(client), waves(client), application_of(client),
                  applications(client, accountID="444455556666"))
        status, stored = admin_call(emu.url, "state")
        assert status == 200
        assert [[a["name"] for a in b["applications"]] for b in stored["backends"]] == [["web", "old"], ["elsewhere"]]
        assert [[w["name"] for w in b["waves"]] for b in stored["backends"]] == [["first", "done"], []]
    with EmulatorServer(seed=seed, state_file=state) as emu:
        client = mgn_client(emu.url)
        after = (applications(client), waves(client), application_of(client),
                 applications(client, accountID="444455556666"))
        assert after == before
        assert after[3]["elsewhere"]["tags"] == {"k": "v"}
        conflict = client.exceptions.ConflictException
        with pytest.raises(conflict):
            client.delete_wave(waveID=first)  # its applications came back with it
        with pytest.raises(conflict):
            client.create_application(name="web")


def test_the_state_file_wins_over_the_seed(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    seed = {**make_seed(SERVERS), "applications": [{"name": "web", "servers": [S1]}]}
    with EmulatorServer(seed=seed, state_file=state) as emu:
        client = mgn_client(emu.url)
        client.disassociate_source_servers(applicationID=WEB, sourceServerIDs=[S1])
        client.update_application(applicationID=WEB, name="web (renamed)")
        db = client.create_application(name="db")["applicationID"]
        client.associate_source_servers(applicationID=db, sourceServerIDs=[S2])
    seed["applications"] = [
        {"name": "web", "servers": [S1]},  # the state file has an application of this ID: left as it is there
        {"name": "db"},  # and one of this name
        {"name": "batch", "servers": [S2, S3]},  # new: added, without S2, which is in db already
    ]
    seed["waves"] = [{"name": "w", "applications": ["web", "batch"]}]
    with EmulatorServer(seed=seed, state_file=state) as emu:
        client = mgn_client(emu.url)
        apps = applications(client)
        assert sorted(apps) == ["batch", "db", "web (renamed)"]
        batch = seed_id("app-", "batch")
        assert application_of(client) == {S1: None, S2: db, S3: batch, DONE: None}
        assert apps["batch"]["waveID"] == apps["web (renamed)"]["waveID"] == seed_id("wave-", "w")


def test_an_old_state_file_without_applications_still_loads(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with EmulatorServer(seed=make_seed(SERVERS), state_file=state, launch_seconds=100) as emu:
        mgn_client(emu.url).start_cutover(sourceServerIDs=[S2])
    data = json.loads(state.read_text())
    for backend in data["backends"]:
        assert backend.pop("applications") == [] and backend.pop("waves") == []
        for server in backend["servers"]:
            server.pop("application_id")
    state.write_text(json.dumps(data))
    with EmulatorServer(state_file=state) as emu:
        client = mgn_client(emu.url)
        assert client.list_applications()["items"] == [] and client.list_waves()["items"] == []
        assert client.describe_jobs()["items"][0]["participatingServers"][0]["sourceServerID"] == S2
        web = client.create_application(name="web")["applicationID"]
        client.associate_source_servers(applicationID=web, sourceServerIDs=[S2])
    assert json.loads(state.read_text())["backends"][0]["servers"][1]["application_id"] == web


@pytest.fixture(scope="module")
def grouped_state(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A state file with two applications (web in a wave, with S1) and one wave."""
    path = tmp_path_factory.mktemp("grouped") / "state.json"
    seed = {**make_seed(SERVERS), "applications": [{"name": "web", "servers": [S1]}, {"name": "db"}],
            "waves": [{"name": "w", "applications": ["web"]}]}
    with EmulatorServer(seed=seed, state_file=path):
        pass
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _backend(data: dict[str, Any]) -> dict[str, Any]:
    backend: dict[str, Any] = data["backends"][0]
    return backend


CORRUPTIONS = {
    "applications-not-a-list": (lambda d: _backend(d).__setitem__("applications", {}), "applications: expected a list"),
    "application-missing-name": (lambda d: _backend(d)["applications"][0].pop("name"), "missing key 'name'"),
    "application-unknown-key": (lambda d: _backend(d)["waves"][0].__setitem__("servers", []), "unknown key 'servers'"),
    "malformed-application-id": (
        lambda d: _backend(d)["applications"][1].__setitem__("application_id", "app-1"), "is not a application ID"
    ),
    "duplicate-application-id": (
        lambda d: _backend(d)["applications"][1].__setitem__("application_id", WEB),
        f"application {WEB} is listed twice",
    ),
    "duplicate-name": (
        lambda d: _backend(d)["applications"][1].__setitem__("name", "web"), "applications[1]: the name 'web' is listed"
    ),
    "server-names-unknown-application": (
        lambda d: _backend(d)["applications"].pop(0), f"server {S1} names application {WEB}, which is not stored"
    ),
    "application-names-unknown-wave": (
        lambda d: _backend(d)["waves"].pop(0), "applications[0]: application " + WEB + " names wave"
    ),
    "wave-id-not-a-string": (lambda d: _backend(d)["waves"][0].__setitem__("wave_id", 7), "expected a string"),
}


@pytest.mark.parametrize("name", sorted(CORRUPTIONS))
def test_a_damaged_state_file_is_refused_naming_the_place(
    grouped_state: dict[str, Any], tmp_path: Path, name: str
) -> None:
    data = json.loads(json.dumps(grouped_state))
    damage, needle = CORRUPTIONS[name]
    damage(data)
    state = tmp_path / "state.json"
    state.write_text(json.dumps(data))
    with pytest.raises(StateFileError) as caught:
        EmulatorServer(state_file=state)
    assert needle in str(caught.value) and str(state) in str(caught.value)


def test_a_create_that_cannot_be_saved_changes_nothing(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with EmulatorServer(seed=make_seed(SERVERS), state_file=state) as emu:
        client = mgn_client(emu.url)
        west = mgn_client(emu.url, region="eu-west-1")
        web = client.create_application(name="web")["applicationID"]
        state.unlink()
        state.mkdir()  # from now on the rename onto the state file fails
        with pytest.raises(west.exceptions.InternalServerException, match="was not carried out"):
            west.create_application(name="web", tags={"k": "v"})
        assert [(b.account_id, b.region) for b in emu.backends.all()] == [("111122223333", "us-east-1")]
        with pytest.raises(client.exceptions.InternalServerException):
            client.associate_source_servers(applicationID=web, sourceServerIDs=[S1])
        assert application_of(client)[S1] is None
        state.rmdir()
        assert west.list_applications()["items"] == []
