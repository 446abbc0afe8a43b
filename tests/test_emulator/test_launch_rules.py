"""StartTest does not start from CUTTING_OVER, in the emulator and in the engine's preflight alike.

MGN's documented path is READY_FOR_TEST -> TESTING -> READY_FOR_CUTOVER -> CUTTING_OVER, and CUTTING_OVER is
left only by FinalizeCutover or a revert (/work/shared/notes/mgn-api.md, "Lifecycle as documented"; botocore's
StartTest: "changes the SourceServer.lifeCycle.state property to TESTING").
"""

from __future__ import annotations

import pytest

from mgn_emulator import EmulatorServer
from mgn_emulator.models import LAUNCHABLE_BY, InitiatedBy
from mgn_resources.aws import Connection, LaunchKind, MgnApi, build_client
from mgn_resources.clock import SYSTEM_CLOCK
from mgn_resources.engine import LaunchEngine, SharedJobPoller, SilentProgress
from mgn_resources.engine.preflight import LAUNCHABLE
from mgn_resources.errors import ServersNotLaunchableError
from mgn_resources.provider.translate import launch_spec
from tests.harness.emulator import ManualClock, make_seed, mgn_client, server_id


def test_the_emulator_and_the_engine_launch_from_the_same_states() -> None:
    for kind, by in ((LaunchKind.TEST, InitiatedBy.START_TEST), (LaunchKind.CUTOVER, InitiatedBy.START_CUTOVER)):
        assert {s.value for s in LAUNCHABLE[kind]} == {s.value for s in LAUNCHABLE_BY[by]}


def test_the_emulator_refuses_a_test_launch_of_a_server_cutting_over() -> None:
    clock = ManualClock()
    with EmulatorServer(seed=make_seed([1]), clock=clock, launch_seconds=1.0) as emu:
        client = mgn_client(emu.url)
        client.start_cutover(sourceServerIDs=[server_id(1)])
        clock.advance(5)  # the cutover job completes; the server stays CUTTING_OVER
        with pytest.raises(client.exceptions.ConflictException) as caught:
            client.start_test(sourceServerIDs=[server_id(1)])
        (error,) = caught.value.response["errors"]
        assert error["resourceId"] == server_id(1) and error["code"] == "SOURCE_SERVER_STATE"
        assert "CUTTING_OVER, from which a test launch cannot be launched" in error["message"]
        client.start_cutover(sourceServerIDs=[server_id(1)])  # a cutover again is allowed


def test_the_engine_refuses_it_before_calling_start_test() -> None:
    seed = make_seed([{"id": server_id(1), "hostname": "web", "state": "CUTTING_OVER"}])
    with EmulatorServer(seed=seed, launch_seconds=0.3) as emu:
        api = MgnApi(build_client(Connection(region="us-east-1", endpoint_url=emu.url)))
        engine = LaunchEngine(api, SharedJobPoller(SYSTEM_CLOCK), SYSTEM_CLOCK, SilentProgress(), "us-east-1")
        with pytest.raises(ServersNotLaunchableError, match=f"{server_id(1)} is CUTTING_OVER"):
            engine.launch(launch_spec(LaunchKind.TEST, {"source_server_ids": [server_id(1)]}))
        assert emu.call_count("StartTest") == 0
