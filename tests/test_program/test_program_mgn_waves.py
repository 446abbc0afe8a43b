"""A program wave that names an MGN wave (``mgnWave``, issue 21): the program lists the wave's applications from MGN
when it runs and declares one Cutover (and TestLaunch) per application, side by side, each declaring its application;
the exports stay keyed by wave, then by server. Applications and waves are made through the MGN API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pulumi
import pytest

from mgn_emulator import EmulatorServer
from tests.harness import ProviderHost
from tests.harness.emulator import make_seed, mgn_client, server_entry, server_id
from tests.harness.mgn_groups import create_application, create_wave, launched
from tests.harness.program import (
    CUTOVER_TYPE,
    TEST_LAUNCH_TYPE,
    HostMocks,
    Registration,
    config_values,
    run_program,
)
from waves import WaveConfigError, parse_config

S = [server_id(n) for n in range(1, 7)]


@pytest.fixture
def emu() -> Iterator[EmulatorServer]:
    seed = make_seed([server_entry(sid, state="READY_FOR_TEST" if n >= 4 else "READY_FOR_CUTOVER")
                      for n, sid in enumerate(S, start=1)])
    with EmulatorServer(seed=seed, launch_seconds=0.3) as server:
        yield server


@pytest.fixture
def mgn(emu: EmulatorServer) -> Any:
    return mgn_client(emu.url)


def stack(emu: EmulatorServer, *waves: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "aws:region": "us-east-1",
        "mgn-cutover:endpointUrl": emu.url,
        "mgn-cutover:waves": list(waves),
        **{f"mgn-cutover:{k}": v for k, v in extra.items()},
    }


def test_one_launch_per_application_side_by_side(emu: EmulatorServer, mgn: Any) -> None:
    web, db = create_application(mgn, "web", S[:2]), create_application(mgn, "db", [S[2]])
    wave = create_wave(mgn, "payments", [web, db])
    emu.clear_calls()

    run = run_program(
        stack(emu, {"name": "first", "sourceServerIds": [S[5]]}, {"name": "payments", "mgnWave": wave, "test": False})
    )

    cutovers = {r.name: r for r in run.of_type(CUTOVER_TYPE)}
    assert set(cutovers) == {"first-cutover", f"payments-{web}-cutover", f"payments-{db}-cutover"}
    assert cutovers[f"payments-{web}-cutover"].inputs["application_ids"] == [web]
    assert "source_server_ids" not in cutovers[f"payments-{web}-cutover"].inputs  # resolved by the resource
    assert cutovers[f"payments-{web}-cutover"].inputs["tags"] == {"mgn:wave": "payments"}
    # side by side: each application's cutover waits for the stage before, not for the other application
    assert run.depends_on(f"payments-{web}-cutover") == run.depends_on(f"payments-{db}-cutover") == ["first-cutover"]
    assert set(run.exports["job_ids"]["payments"]) == {web, db}
    assert isinstance(run.exports["job_ids"]["first"], str)
    # listed read-only, at program time
    assert {c.operation for c in emu.calls()} <= {"ListApplications", "ListWaves", "DescribeSourceServers"}


def test_a_tested_mgn_wave_tests_each_application_before_its_cutover(emu: EmulatorServer, mgn: Any) -> None:
    app = create_application(mgn, "app", S[3:5])
    wave = create_wave(mgn, "w", [app])
    run = run_program(stack(emu, {"name": "w", "mgnWave": wave, "test": True}))
    assert run.by_name(f"w-{app}-test").type == TEST_LAUNCH_TYPE
    assert run.depends_on(f"w-{app}-cutover") == [f"w-{app}-test"]
    assert run.by_name(f"w-{app}-cutover").inputs["require_successful_test"] is True
    assert set(run.exports["test_job_ids"]["w"]) == {app}


@pytest.mark.slow
def test_the_program_cuts_over_an_mgn_wave_through_the_real_host(emu: EmulatorServer, mgn: Any) -> None:
    web, db = create_application(mgn, "web", S[:2]), create_application(mgn, "db", [S[2]])
    wave = create_wave(mgn, "payments", [web, db])
    config = stack(emu, {"name": "payments", "mgnWave": wave})
    with ProviderHost() as host:
        host.configure(config_values(config))
        run = run_program(config, HostMocks(host))

    assert sorted(map(sorted, launched(emu))) == [[S[0], S[1]], [S[2]]]  # one job per application
    jobs = run.exports["job_ids"]["payments"]
    assert set(jobs) == {web, db} and all(job.startswith("mgnjob-") for job in jobs.values())
    instances = run.exports["instance_ids"]["payments"]  # keyed by wave, then by server
    assert set(instances) == set(S[:3]) and all(i.startswith("i-") for i in instances.values())


def refused(config: dict[str, Any]) -> str:
    registered: list[Registration] = []
    with pytest.raises(pulumi.RunError) as caught:
        run_program(config, registrations=registered)
    assert registered == []  # before anything is declared
    text = str(caught.value)
    assert "\n" not in text
    return text


def test_an_unknown_or_empty_mgn_wave_stops_the_program_naming_it(emu: EmulatorServer, mgn: Any) -> None:
    text = refused(stack(emu, {"name": "w", "mgnWave": "wave-00000000000000009"}))
    assert "MGN in us-east-1 does not know wave wave-00000000000000009; check mgnWave" in text
    empty = create_wave(mgn, "empty")
    assert "the wave has no applications in MGN" in refused(stack(emu, {"name": "w", "mgnWave": empty}))
    hollow = create_wave(mgn, "hollow", [create_application(mgn, "hollow")])
    assert "have no source servers that are not archived" in refused(stack(emu, {"name": "w", "mgnWave": hollow}))


def test_a_server_in_a_listed_wave_and_an_mgn_wave_is_refused(emu: EmulatorServer, mgn: Any) -> None:
    wave = create_wave(mgn, "w", [create_application(mgn, "web", S[:2])])
    text = refused(stack(emu, {"name": "a", "sourceServerIds": [S[1]]}, {"name": "b", "mgnWave": wave}))
    assert f"server {S[1]} is in waves 'a' and 'b'" in text


BIG = [server_id(n) for n in range(101, 101 + 202)]


@pytest.mark.slow
def test_an_application_of_more_servers_than_one_job_is_refused_with_the_count() -> None:
    with EmulatorServer(seed=make_seed([server_entry(sid) for sid in BIG]), launch_seconds=0.3) as big:
        mgn = mgn_client(big.url)
        small, large = create_application(mgn, "small", BIG[:1]), create_application(mgn, "large", BIG[1:201])
        wave = create_wave(mgn, "w", [small, large])
        fits = run_program(stack(big, {"name": "w", "mgnWave": wave}))  # 201 in the wave, 200 at most per job
        assert len(fits.of_type(CUTOVER_TYPE)) == 2

        mgn.associate_source_servers(applicationID=large, sourceServerIDs=BIG[201:])
        text = refused(stack(big, {"name": "w", "mgnWave": wave}))
        assert f"MGN wave {wave}'s application {large} has 201 source servers, over MGN's limit of 200 in one " \
            "StartCutover or StartTest; split the application in MGN into applications of at most 200 servers" in text
        assert launched(big) == []


@pytest.mark.parametrize(
    ("wave", "message"),
    [
        ({"name": "w", "mgnWave": "wave-0a1b2c3d4e5f6a7b8", "sourceServerIds": [S[0]]}, "not both"),
        ({"name": "w", "mgnWave": "payments"}, "'mgnWave' must be an MGN wave ID (wave-...), not 'payments'"),
        ({"name": "w"}, "has no servers: set 'sourceServerIds' to a non-empty list, or 'mgnWave' to an MGN wave ID"),
    ],
)
def test_bad_mgn_wave_config_is_one_line_before_any_aws_call(wave: dict[str, Any], message: str) -> None:
    with pytest.raises(WaveConfigError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        parse_config({"waves": [wave]})


def test_tag_instances_is_refused_for_an_mgn_wave() -> None:
    with pytest.raises(WaveConfigError, match="tagInstances cannot tag the instances of wave 'w', which names an"):
        parse_config({"waves": [{"name": "w", "mgnWave": "wave-0a1b2c3d4e5f6a7b8"}], "tagInstances": True})


def test_with_mgn_waves_gives_each_wave_its_applications_from_the_lister() -> None:
    config = parse_config({"waves": [{"name": "w", "mgnWave": "wave-0a1b2c3d4e5f6a7b8", "parallel": True}]})
    listed = config.with_mgn_waves(lambda wave_id: [("app-1", [S[0], S[1]]), ("app-2", [S[2]])])
    wave = listed.waves[0]
    assert wave.source_server_ids == (S[0], S[1], S[2])
    assert [(launch.name, dict(launch.members)) for launch in wave.launches()] == [
        ("w-app-1", {"application_ids": ["app-1"]}),
        ("w-app-2", {"application_ids": ["app-2"]}),
    ]
