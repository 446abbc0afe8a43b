"""Cutover and TestLaunch of what MGN already groups (issue 21), through the real dynamic-provider host against the
emulator, with applications and waves made through the MGN API: create resolves ``application_ids`` or ``wave_id`` to
their servers (the output ``source_server_ids``), a server added to an application later is reported by refresh in
``unlaunched_server_ids`` and never launched, a server that left it stays launched, and what cannot launch as one job
is refused before any launch, named."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from tests.harness import HostError, ProviderHost
from tests.harness.emulator import lifecycle_state, make_seed, mgn_client, server_entry, server_id
from tests.harness.mgn import SERVERS, up
from tests.harness.mgn_groups import add_servers, create_application, create_wave, in_order, launched, remove_servers

pytestmark = pytest.mark.slow


def news(emu: EmulatorServer, **given: Any) -> dict[str, Any]:
    return {"endpoint_url": emu.url, "poll_interval_seconds": 0.05, **given}


def refreshed(host: ProviderHost, created_id: str, outs: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A refresh: the outputs it reads, and the warnings it logs."""
    before = len(host.stderr)
    read = host.read(created_id, outs)
    assert read.id == created_id
    return read.outs, [line for line in host.stderr[before:].splitlines() if line.startswith("warning: ")]


def test_a_cutover_of_an_application_launches_its_servers_as_mgn_lists_them(
    cutover_host: ProviderHost, emu: EmulatorServer, mgn: Any
) -> None:
    web = create_application(mgn, "web", [SERVERS[1], SERVERS[0]])
    create_application(mgn, "db", [SERVERS[2]])

    inputs, created = up(cutover_host, news(emu, application_ids=[web]))

    assert "source_server_ids" not in inputs  # resolved at create, not at check
    assert launched(emu) == [[SERVERS[0], SERVERS[1]]]
    outs = created.outs
    assert outs["application_ids"] == [web]
    assert outs["source_server_ids"] == [SERVERS[0], SERVERS[1]]  # by server ID, whatever the association order
    assert set(outs["launched_instance_ids"]) == set(SERVERS[:2])
    assert outs["unlaunched_server_ids"] == [] and outs["pending_server_ids"] == []


def test_a_cutover_of_a_wave_launches_every_application_of_it(
    cutover_host: ProviderHost, emu: EmulatorServer, mgn: Any
) -> None:
    web = create_application(mgn, "web", SERVERS[:2])
    db = create_application(mgn, "db", [SERVERS[2]])
    create_application(mgn, "batch", [SERVERS[5]])  # not in the wave
    wave = create_wave(mgn, "payments", [web, db])

    _, created = up(cutover_host, news(emu, wave_id=wave))

    expected = in_order(mgn, web, db)
    assert sorted(expected) == SERVERS[:3]
    assert launched(emu) == [expected]
    assert created.outs["source_server_ids"] == expected and created.outs["wave_id"] == wave
    assert lifecycle_state(mgn, SERVERS[5]) == "READY_FOR_CUTOVER"


def test_a_test_launch_of_an_application_starts_a_test(
    test_launch_host: ProviderHost, emu: EmulatorServer, mgn: Any
) -> None:
    app = create_application(mgn, "app", SERVERS[3:5])
    _, created = up(test_launch_host, news(emu, application_ids=[app]))
    assert launched(emu, "StartTest") == [SERVERS[3:5]] and launched(emu) == []
    assert created.outs["source_server_ids"] == SERVERS[3:5]


def test_a_server_added_after_the_launch_is_reported_and_never_launched(
    cutover_host: ProviderHost, emu: EmulatorServer, mgn: Any
) -> None:
    web = create_application(mgn, "web", SERVERS[:2])
    inputs, created = up(cutover_host, news(emu, application_ids=[web]))
    add_servers(mgn, web, [SERVERS[2]])

    # refresh: reported in unlaunched_server_ids, with one warning line
    outs, warnings = refreshed(cutover_host, created.id, created.outs)
    assert outs["unlaunched_server_ids"] == [SERVERS[2]]
    assert outs["source_server_ids"] == SERVERS[:2] and outs["pending_server_ids"] == []
    assert warnings == [
        f"warning: Application {web} now lists {SERVERS[2]}, added after this cutover (job {created.id}) resolved its "
        "servers; it is in unlaunched_server_ids, and no refresh or `pulumi up` launches it: to launch it, replace "
        "this resource or declare a new one."
    ]

    # a plain `up`: the same inputs are no change, so nothing is called beyond the diff
    checked = cutover_host.check(inputs, news(emu, application_ids=[web])).inputs
    diff = cutover_host.diff(created.id, outs, checked)
    assert not diff.changed and diff.replaces == []

    # an update for another reason acts on the servers create resolved, never on the added one
    retagged = cutover_host.check(inputs, news(emu, application_ids=[web], tags={"team": "web"})).inputs
    assert cutover_host.diff(created.id, outs, retagged).replaces == []
    updated = cutover_host.update(created.id, outs, retagged)
    assert updated["source_server_ids"] == SERVERS[:2] and updated["unlaunched_server_ids"] == [SERVERS[2]]

    outs, warnings = refreshed(cutover_host, created.id, updated)
    assert outs["unlaunched_server_ids"] == [SERVERS[2]] and len(warnings) == 1
    assert launched(emu) == [SERVERS[:2]]  # one StartCutover in all
    assert lifecycle_state(mgn, SERVERS[2]) == "READY_FOR_CUTOVER"


def test_a_server_removed_from_the_application_stays_launched(
    cutover_host: ProviderHost, emu: EmulatorServer, mgn: Any
) -> None:
    web = create_application(mgn, "web", SERVERS[:2])
    inputs, created = up(cutover_host, news(emu, application_ids=[web], on_delete="revert"))
    remove_servers(mgn, web, [SERVERS[0]])

    outs, warnings = refreshed(cutover_host, created.id, created.outs)
    assert warnings == []
    assert outs["source_server_ids"] == SERVERS[:2] and outs["unlaunched_server_ids"] == []
    assert [s["state"] for s in outs["servers"]] == ["LAUNCHED", "LAUNCHED"]
    checked = cutover_host.check(inputs, news(emu, application_ids=[web], on_delete="revert")).inputs
    assert not cutover_host.diff(created.id, outs, checked).changed
    assert lifecycle_state(mgn, SERVERS[0]) == "CUTTING_OVER"


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda mgn: {"application_ids": ["app-00000000000000009"]}, "does not know application app-00000000000000009"),
        (lambda mgn: {"application_ids": [create_application(mgn, "empty")]}, "has no source servers that are not"),
        (lambda mgn: {"wave_id": "wave-00000000000000009"}, "does not know wave wave-00000000000000009"),
        (lambda mgn: {"wave_id": create_wave(mgn, "empty")}, "the wave has no applications in MGN"),
    ],
)
def test_an_unknown_or_empty_group_is_refused_at_create_naming_it(
    cutover_host: ProviderHost, emu: EmulatorServer, mgn: Any, make: Any, words: str
) -> None:
    given = make(mgn)
    checked = cutover_host.check({}, news(emu, **given))
    assert checked.failures == []
    with pytest.raises(HostError) as failed:
        cutover_host.create(checked.inputs)
    last = failed.value.details.strip().splitlines()[-1]
    assert last.startswith("Cannot start the cutover of ") and words in last  # one sentence, no traceback
    assert launched(emu) == []


# ---- more servers than one job launches: refused before any launch, with the count ----

BIG = [server_id(n) for n in range(101, 101 + 201)]


@pytest.fixture
def big_emu() -> Iterator[EmulatorServer]:
    with EmulatorServer(seed=make_seed([server_entry(sid) for sid in BIG]), launch_seconds=0.3) as server:
        yield server


def test_an_application_of_more_servers_than_one_job_is_refused_with_the_count(
    cutover_host: ProviderHost, big_emu: EmulatorServer
) -> None:
    mgn = mgn_client(big_emu.url)
    app = create_application(mgn, "big", BIG)
    with pytest.raises(HostError) as failed:
        cutover_host.create(cutover_host.check({}, news(big_emu, application_ids=[app])).inputs)
    last = failed.value.details.strip().splitlines()[-1]
    assert f"Cannot start the cutover of application {app}: it has 201 source servers, over MGN's limit of 200 in " \
        "one StartCutover; split the application in MGN into applications of at most 200 servers" in last
    assert launched(big_emu) == []


def test_a_wave_of_more_servers_than_one_job_is_refused_saying_to_split_it_by_application(
    test_launch_host: ProviderHost, big_emu: EmulatorServer
) -> None:
    mgn = mgn_client(big_emu.url)
    first, second = create_application(mgn, "a", BIG[:150]), create_application(mgn, "b", BIG[150:])
    wave = create_wave(mgn, "big", [first, second])
    with pytest.raises(HostError) as failed:
        test_launch_host.create(test_launch_host.check({}, news(big_emu, wave_id=wave)).inputs)
    last = failed.value.details.strip().splitlines()[-1]
    assert f"Cannot start the test launch of wave {wave}: it has 201 source servers, over MGN's limit of 200 in one " \
        "StartTest; split it by application: one resource per application (application_ids)" in last
    assert f"{first}: 150" in last and f"{second}: 51" in last
    assert launched(big_emu, "StartTest") == []
