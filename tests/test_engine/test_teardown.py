"""on_delete: retain changes nothing, revert sets the servers back, terminate also ends the instances."""

from __future__ import annotations

from typing import Any

import pytest

from mgn_resources.aws import LaunchKind
from mgn_resources.engine import OnDelete, ServerLaunch, ServerState
from mgn_resources.errors import TeardownError
from tests.harness.emulator import server_id as sid

from .conftest import Rig

MUTATING = {"StartCutover", "StartTest", "FinalizeCutover", "ChangeServerLifeCycleState", "TerminateTargetInstances"}


def launched(rig: Rig, *ids: str, kind: LaunchKind = LaunchKind.CUTOVER, **inputs: Any) -> str:
    result = rig.engine.launch(rig.spec(*ids, kind=kind, **inputs))
    rig.emu.clear_calls()
    return result.job.job_id


def recorded(job_id: str, *ids: str) -> list[ServerLaunch]:
    return [ServerLaunch(source_server_id=i, state=ServerState.LAUNCHED, job_id=job_id) for i in ids]


def test_retain_makes_no_call_that_changes_mgn(rig: Rig) -> None:
    job_id = launched(rig, sid(1))
    rig.teardown.run(LaunchKind.CUTOVER, OnDelete.RETAIN, recorded(job_id, sid(1)), 30, 0.05)
    assert not MUTATING & set(rig.ops())
    assert rig.api.describe_source_servers([sid(1)])[sid(1)].state == "CUTTING_OVER"


def test_revert_sets_servers_back_to_ready_for_cutover(rig: Rig) -> None:
    job_id = launched(rig, sid(1), sid(2))
    rig.teardown.run(LaunchKind.CUTOVER, OnDelete.REVERT, recorded(job_id, sid(1), sid(2)), 30, 0.05)
    servers = rig.api.describe_source_servers([sid(1), sid(2)])
    assert {s.state for s in servers.values()} == {"READY_FOR_CUTOVER"}
    assert all(not s.last_cutover.active for s in servers.values())
    assert "TerminateTargetInstances" not in rig.ops()


@pytest.mark.slow
def test_terminate_reverts_then_terminates_and_waits_for_the_terminate_job(rig: Rig) -> None:
    job_id = launched(rig, sid(1), sid(2))
    rig.teardown.run(LaunchKind.CUTOVER, OnDelete.TERMINATE, recorded(job_id, sid(1), sid(2)), 30, 0.05)
    ops = rig.ops()
    assert ops.index("ChangeServerLifeCycleState") < ops.index("TerminateTargetInstances")
    jobs = rig.client().describe_jobs()["items"]
    terminate = [j for j in jobs if j["type"] == "TERMINATE"]
    assert terminate and terminate[0]["status"] == "COMPLETED"
    assert {s["launchStatus"] for s in terminate[0]["participatingServers"]} == {"TERMINATED"}


def test_a_finalized_server_cannot_be_reverted_and_the_error_names_it(rig: Rig) -> None:
    job_id = launched(rig, sid(1), sid(2))
    rig.client().finalize_cutover(sourceServerID=sid(2))
    with pytest.raises(TeardownError) as refused:
        rig.teardown.run(LaunchKind.CUTOVER, OnDelete.REVERT, recorded(job_id, sid(1), sid(2)), 30, 0.05)
    assert sid(2) in str(refused.value) and sid(1) not in str(refused.value) and job_id in str(refused.value)


@pytest.mark.slow
def test_servers_relaunched_by_another_job_are_left_alone(rig: Rig) -> None:
    job_id = launched(rig, sid(1))
    rig.client().change_server_life_cycle_state(sourceServerID=sid(1), lifeCycle={"state": "READY_FOR_CUTOVER"})
    launched(rig, sid(1))  # someone cut it over again
    rig.teardown.run(LaunchKind.CUTOVER, OnDelete.TERMINATE, recorded(job_id, sid(1)), 30, 0.05)
    assert not MUTATING & set(rig.ops())
    assert any(sid(1) in w for w in rig.progress.warnings)


@pytest.mark.slow
def test_terminating_a_test_launch_terminates_only_its_own_instances(rig: Rig) -> None:
    rig.emu.add_server(sid(1), state="READY_FOR_TEST")
    job_id = launched(rig, sid(1), kind=LaunchKind.TEST, mark_ready_for_cutover=False)
    rig.teardown.run(LaunchKind.TEST, OnDelete.TERMINATE, recorded(job_id, sid(1)), 30, 0.05)
    assert rig.ops().count("TerminateTargetInstances") == 1
    server = rig.api.describe_source_servers([sid(1)])[sid(1)]
    assert server.state == "READY_FOR_TEST" and not server.launched_instance_id
