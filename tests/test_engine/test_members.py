"""The servers of MGN applications and waves as the engine resolves them (issue 21): ListApplications (by
applicationIDs, or by waveIDs), then DescribeSourceServers by applicationIDs with isArchived false, in a stable order;
the refusals name the group and say what to do. Applications and waves are made through the MGN API; the limit test
answers from a stub (201 servers make an emulator slow to fill)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from mgn_resources.aws import Connection, LaunchKind, MgnApi, build_client
from mgn_resources.aws.shapes import Application, SourceServer, Wave
from mgn_resources.engine.members import Group, read_members, resolve_members, unlaunched, wave_applications
from mgn_resources.errors import GroupNotLaunchableError
from tests.harness.emulator import make_seed, mgn_client, server_entry, server_id
from tests.harness.mgn_groups import create_application, create_wave

S = [server_id(n) for n in range(1, 6)]
WHERE = "us-east-1"


@pytest.fixture
def emu() -> Iterator[EmulatorServer]:
    seed = make_seed([*(server_entry(sid) for sid in S[:4]), server_entry(S[4], archived=True)])
    with EmulatorServer(seed=seed) as server:
        yield server


@pytest.fixture
def mgn(emu: EmulatorServer) -> Any:
    return mgn_client(emu.url)


@pytest.fixture
def api(emu: EmulatorServer) -> MgnApi:
    return MgnApi(build_client(Connection(region=WHERE, endpoint_url=emu.url)))


def test_an_application_resolves_to_its_servers_not_archived_by_server_id(mgn: Any, api: MgnApi) -> None:
    app = create_application(mgn, "web", [S[2], S[4], S[0]])
    members = resolve_members(api, Group(application_ids=(app,)), LaunchKind.CUTOVER, WHERE)
    assert members.server_ids == (S[0], S[2])  # S[4] is archived
    assert members.application_of(S[2]) == app


def test_a_wave_resolves_through_its_applications_by_application_id(
    emu: EmulatorServer, mgn: Any, api: MgnApi
) -> None:
    web, db = create_application(mgn, "web", [S[1], S[0]]), create_application(mgn, "db", [S[2]])
    create_application(mgn, "other", [S[3]])
    wave = create_wave(mgn, "w", [web, db])
    emu.clear_calls()

    members = resolve_members(api, Group(wave_id=wave), LaunchKind.TEST, WHERE)

    by_app = {web: (S[0], S[1]), db: (S[2],)}
    assert members.server_ids == tuple(s for app in sorted(by_app) for s in by_app[app])
    calls = [(c.operation, c.body.get("filters")) for c in emu.calls()]
    assert calls == [
        ("ListApplications", {"waveIDs": [wave]}),
        ("DescribeSourceServers", {"applicationIDs": sorted([web, db]), "isArchived": False}),
    ]


def test_what_a_refresh_reads_tells_the_servers_added_since(mgn: Any, api: MgnApi) -> None:
    app = create_application(mgn, "web", S[:2])
    recorded = resolve_members(api, Group(application_ids=(app,)), LaunchKind.CUTOVER, WHERE).server_ids
    mgn.associate_source_servers(applicationID=app, sourceServerIDs=[S[3]])
    mgn.disassociate_source_servers(applicationID=app, sourceServerIDs=[S[0]])
    now = read_members(api, Group(application_ids=(app,)))
    assert unlaunched(now, recorded) == (S[3],)  # S[0] left: not reported, it stays launched


@pytest.mark.parametrize(
    ("make", "sentence"),
    [
        (
            lambda mgn: Group(application_ids=("app-00000000000000009",)),
            "Cannot start the cutover of application app-00000000000000009: MGN in us-east-1 does not know application "
            "app-00000000000000009; check application_ids, the region and account_id.",
        ),
        (
            lambda mgn: Group(wave_id="wave-00000000000000009"),
            "Cannot start the cutover of wave wave-00000000000000009: MGN in us-east-1 does not know wave "
            "wave-00000000000000009; check wave_id, the region and account_id.",
        ),
    ],
)
def test_an_unknown_group_is_refused_naming_it(mgn: Any, api: MgnApi, make: Any, sentence: str) -> None:
    with pytest.raises(GroupNotLaunchableError) as refused:
        resolve_members(api, make(mgn), LaunchKind.CUTOVER, WHERE)
    assert str(refused.value) == sentence


def test_an_empty_application_or_wave_is_refused_naming_it(mgn: Any, api: MgnApi) -> None:
    full, empty = create_application(mgn, "full", S[:1]), create_application(mgn, "empty", [S[4]])  # archived only
    with pytest.raises(GroupNotLaunchableError) as refused:
        resolve_members(api, Group(application_ids=(full, empty)), LaunchKind.CUTOVER, WHERE)
    assert str(refused.value).endswith(
        f"application {empty} has no source servers that are not archived; add servers to it in MGN "
        "(AssociateSourceServers) or remove it from application_ids."
    )
    wave = create_wave(mgn, "w")
    with pytest.raises(GroupNotLaunchableError, match="the wave has no applications in MGN; associate applications"):
        resolve_members(api, Group(wave_id=wave), LaunchKind.CUTOVER, WHERE)
    hollow = create_wave(mgn, "hollow", [empty])
    with pytest.raises(GroupNotLaunchableError, match=rf"its applications \({empty}\) have no source servers"):
        resolve_members(api, Group(wave_id=hollow), LaunchKind.CUTOVER, WHERE)


# ---- the limit of servers per job (botocore's model: 200), against a stub ----


class StubApi:
    """ListApplications, ListWaves and DescribeSourceServers as MgnApi answers them, from a table."""

    def __init__(self, servers: dict[str, list[str]], wave: str = "wave-00000000000000001") -> None:
        self.servers, self.wave = servers, wave

    def list_applications(self, application_ids: Sequence[str]) -> list[Application]:
        return [Application(a, a, self.wave, False) for a in application_ids if a in self.servers]

    def list_wave_applications(self, wave_id: str) -> list[Application]:
        return [Application(a, a, wave_id, False) for a in self.servers] if wave_id == self.wave else []

    def list_waves(self, wave_ids: Sequence[str]) -> list[Wave]:
        return [Wave(self.wave, "w", False)] if self.wave in wave_ids else []

    def describe_application_servers(self, application_ids: Sequence[str]) -> list[SourceServer]:
        return [_server(sid, app) for app in application_ids for sid in self.servers.get(app, [])]


def _server(sid: str, app: str) -> SourceServer:
    from mgn_resources.aws.shapes import LaunchRecord

    return SourceServer(sid, "", "", False, "READY_FOR_CUTOVER", LaunchRecord(), LaunchRecord(), "", "", "", None, app)


def ids(first: int, count: int) -> list[str]:
    return [server_id(n) for n in range(first, first + count)]


def test_two_hundred_servers_fit_one_job() -> None:
    stub: Any = StubApi({"app-00000000000000001": ids(1, 200)})
    members = resolve_members(stub, Group(application_ids=("app-00000000000000001",)), LaunchKind.CUTOVER, WHERE)
    assert len(members.server_ids) == 200


def test_an_application_over_the_limit_is_refused_with_the_count() -> None:
    stub: Any = StubApi({"app-00000000000000001": ids(1, 201)})
    with pytest.raises(GroupNotLaunchableError) as refused:
        resolve_members(stub, Group(application_ids=("app-00000000000000001",)), LaunchKind.CUTOVER, WHERE)
    assert str(refused.value) == (
        "Cannot start the cutover of application app-00000000000000001: it has 201 source servers, over MGN's limit "
        "of 200 in one StartCutover; split the application in MGN into applications of at most 200 servers, one "
        "resource each."
    )


def test_a_wave_over_the_limit_is_refused_saying_to_split_it_by_application() -> None:
    stub: Any = StubApi({"app-00000000000000001": ids(1, 120), "app-00000000000000002": ids(500, 90)})
    with pytest.raises(GroupNotLaunchableError) as refused:
        resolve_members(stub, Group(wave_id="wave-00000000000000001"), LaunchKind.TEST, WHERE)
    assert str(refused.value) == (
        "Cannot start the test launch of wave wave-00000000000000001: it has 210 source servers, over MGN's limit of "
        "200 in one StartTest; split it by application: one resource per application (application_ids) "
        "(app-00000000000000001: 120, app-00000000000000002: 90)."
    )


def test_a_program_lists_a_wave_but_refuses_an_application_over_the_limit() -> None:
    fits: Any = StubApi({"app-00000000000000001": ids(1, 120), "app-00000000000000002": ids(500, 90)})
    found = wave_applications(fits, "wave-00000000000000001", WHERE)
    assert [(a.application_id, len(a.source_server_ids)) for a in found] == [
        ("app-00000000000000001", 120), ("app-00000000000000002", 90),
    ]
    over: Any = StubApi({"app-00000000000000001": ids(1, 201)})
    with pytest.raises(GroupNotLaunchableError, match="application app-00000000000000001 has 201 source servers"):
        wave_applications(over, "wave-00000000000000001", WHERE)
