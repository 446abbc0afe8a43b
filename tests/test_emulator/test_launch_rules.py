"""The emulator's launch rules, through real boto3 clients over HTTP.

StartTest does not start from CUTTING_OVER, in the emulator and in the engine's preflight alike: MGN's documented
path is READY_FOR_TEST -> TESTING -> READY_FOR_CUTOVER -> CUTTING_OVER, and CUTTING_OVER is left only by
FinalizeCutover or a revert (/work/shared/notes/mgn-api.md, "Lifecycle as documented"; botocore's StartTest:
"changes the SourceServer.lifeCycle.state property to TESTING").

Relaunching (the same notes, "Relaunching, from MGN's user guide"): each test launch and each cutover launch first
deletes the server's previously launched test instance (terminated in the emulator's EC2, saved with the launch),
even when the new launch fails; an earlier cutover instance is never deleted by a relaunch. A launch job's log
shows each server's progress while the job runs.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.config import Config

from mgn_emulator import EmulatorServer, ec2_state
from mgn_emulator.ec2 import SOURCE_SERVER_TAG
from mgn_emulator.models import LAUNCHABLE_BY, InitiatedBy
from mgn_resources.aws import Connection, LaunchKind, MgnApi, build_client
from mgn_resources.clock import SYSTEM_CLOCK
from mgn_resources.engine import LaunchEngine, SharedJobPoller, SilentProgress
from mgn_resources.engine.preflight import LAUNCHABLE
from mgn_resources.errors import ServersNotLaunchableError
from mgn_resources.lifecycle.translate import launch_spec
from tests.harness.emulator import ManualClock, make_seed, mgn_client, server_entry, server_id


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


# ---- relaunching ---------------------------------------------------------------------------------------------
def clients(url: str) -> tuple[Any, Any]:
    kw: dict[str, Any] = {"endpoint_url": url, "region_name": "us-east-1", "aws_access_key_id": "AKIDTEST",
                          "aws_secret_access_key": "x", "config": Config(retries={"total_max_attempts": 1})}
    return boto3.client("mgn", **kw), boto3.client("ec2", **kw)


def instances(ec2: Any, server: str) -> dict[str, str]:
    """The server's instances in the emulator's EC2 (tagged with its ID by MGN's launch), by ID: their states."""
    tagged = [{"Name": f"tag:{SOURCE_SERVER_TAG}", "Values": [server]}]
    return {i["InstanceId"]: i["State"]["Name"]
            for r in ec2.describe_instances(Filters=tagged)["Reservations"] for i in r["Instances"]}


def running(ec2: Any, server: str) -> list[str]:
    return [i for i, state in instances(ec2, server).items() if state == "running"]


def state_of(ec2: Any, instance_id: str) -> str:
    (reservation,) = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"]
    return str(reservation["Instances"][0]["State"]["Name"])


def launch(mgn: Any, clock: ManualClock, operation: str, server: str) -> dict[str, Any]:
    """StartTest or StartCutover of one server, run to its end: the completed job."""
    job = getattr(mgn, operation)(sourceServerIDs=[server])["job"]
    clock.advance(2)
    (done,) = mgn.describe_jobs(filters={"jobIDs": [job["jobID"]]})["items"]
    assert done["status"] == "COMPLETED"
    return dict(done)


def launched(job: dict[str, Any]) -> str:
    (part,) = job["participatingServers"]
    assert part["launchStatus"] == "LAUNCHED", part
    return str(part["launchedEc2InstanceID"])


def revert(mgn: Any, server: str, state: str) -> None:
    mgn.change_server_life_cycle_state(sourceServerID=server, lifeCycle={"state": state})


def cleanups(mgn: Any, job_id: str) -> list[tuple[str, str]]:
    """The job log's cleanup events: (event, the instance deleted)."""
    log = mgn.describe_job_log_items(jobID=job_id)["items"]
    return [(e["event"], e["eventData"].get("targetInstanceID", "")) for e in log if e["event"].startswith("CLEANUP")]


def forget_process(emu: EmulatorServer) -> None:
    """What a process exit does to moto: its EC2 memory is gone (so only the state file can bring it back)."""
    ec2_state.install(emu.ec2.account_id, {})


def test_a_new_test_launch_first_deletes_the_previous_test_instance_even_a_reverted_one() -> None:
    clock, sid = ManualClock(), server_id(1)
    with EmulatorServer(seed=make_seed([server_entry(1, state="READY_FOR_TEST")]), clock=clock,
                        launch_seconds=1) as emu:
        mgn, ec2 = clients(emu.url)
        first = launched(launch(mgn, clock, "start_test", sid))
        revert(mgn, sid, "READY_FOR_TEST")  # a revert terminates nothing
        assert state_of(ec2, first) == "running"

        job = mgn.start_test(sourceServerIDs=[sid])["job"]
        assert state_of(ec2, first) == "terminated"  # deleted first, while the new launch has only begun
        clock.advance(2)
        (done,) = mgn.describe_jobs(filters={"jobIDs": [job["jobID"]]})["items"]
        second = launched(done)
        assert running(ec2, sid) == [second]
        assert instances(ec2, sid) == {first: "terminated", second: "running"}
        assert cleanups(mgn, job["jobID"]) == [("CLEANUP_START", first), ("CLEANUP_END", first)]

        third = launched(launch(mgn, clock, "start_test", sid))  # from TESTING, no revert in between
        assert instances(ec2, sid) == {first: "terminated", second: "terminated", third: "running"}
        (server,) = mgn.describe_source_servers()["items"]
        assert server["launchedInstance"]["ec2InstanceID"] == third


def test_a_cutover_after_a_test_deletes_the_test_instance() -> None:
    clock, sid = ManualClock(), server_id(1)
    with EmulatorServer(seed=make_seed([server_entry(1, state="READY_FOR_TEST")]), clock=clock,
                        launch_seconds=1) as emu:
        mgn, ec2 = clients(emu.url)
        test = launched(launch(mgn, clock, "start_test", sid))
        revert(mgn, sid, "READY_FOR_CUTOVER")
        job = launch(mgn, clock, "start_cutover", sid)
        cutover = launched(job)
        assert instances(ec2, sid) == {test: "terminated", cutover: "running"}
        assert running(ec2, sid) == [cutover]
        assert cleanups(mgn, job["jobID"]) == [("CLEANUP_START", test), ("CLEANUP_END", test)]


def test_a_cutover_over_a_cutover_keeps_the_earlier_cutover_instance_and_deletes_only_test_instances() -> None:
    """The guide leaves an earlier cutover instance's fate open: the emulator never deletes production."""
    clock, sid = ManualClock(), server_id(1)
    with EmulatorServer(seed=make_seed([server_entry(1, state="READY_FOR_TEST")]), clock=clock,
                        launch_seconds=1) as emu:
        mgn, ec2 = clients(emu.url)
        test = launched(launch(mgn, clock, "start_test", sid))
        revert(mgn, sid, "READY_FOR_CUTOVER")
        first = launched(launch(mgn, clock, "start_cutover", sid))
        revert(mgn, sid, "READY_FOR_CUTOVER")  # CUTTING_OVER -> READY_FOR_CUTOVER: terminates nothing
        job = launch(mgn, clock, "start_cutover", sid)
        second = launched(job)
        assert instances(ec2, sid) == {test: "terminated", first: "running", second: "running"}
        assert cleanups(mgn, job["jobID"]) == []  # nothing deleted: the last instance was a cutover's

        revert(mgn, sid, "READY_FOR_CUTOVER")
        again = launched(launch(mgn, clock, "start_test", sid))  # a test after the cutovers deletes neither
        revert(mgn, sid, "READY_FOR_CUTOVER")
        third = launched(launch(mgn, clock, "start_cutover", sid))  # deletes that test instance, no cutover's
        assert instances(ec2, sid) == {
            test: "terminated", first: "running", second: "running", again: "terminated", third: "running"
        }


def test_a_relaunch_that_ec2_refuses_still_deletes_the_previous_test_instance_first() -> None:
    clock, sid = ManualClock(), server_id(1)
    with EmulatorServer(seed=make_seed([1]), clock=clock, launch_seconds=1) as emu:
        mgn, ec2 = clients(emu.url)
        test = launched(launch(mgn, clock, "start_test", sid))
        ec2.delete_launch_template(LaunchTemplateId=mgn.get_launch_configuration(sourceServerID=sid)[
            "ec2LaunchTemplateID"])
        job = launch(mgn, clock, "start_test", sid)
        assert job["participatingServers"][0]["launchStatus"] == "FAILED"
        assert instances(ec2, sid) == {test: "terminated"}
        events = [e["event"] for e in mgn.describe_job_log_items(jobID=job["jobID"])["items"]]
        assert events.index("CLEANUP_END") < events.index("LAUNCH_FAILED")
        (server,) = mgn.describe_source_servers()["items"]
        assert "launchedInstance" not in server  # the instance it named is gone


@pytest.mark.slow
def test_the_deletion_is_saved_with_the_launch_and_the_test_instance_is_tracked_across_restarts(
    tmp_path: Path,
) -> None:
    state, answered, clock, sid = tmp_path / "state.json", tmp_path / "answered.json", ManualClock(), server_id(1)
    with EmulatorServer(seed=make_seed([1]), state_file=state, clock=clock, launch_seconds=1) as emu:
        mgn, _ = clients(emu.url)
        first = launched(launch(mgn, clock, "start_test", sid))
    forget_process(emu)

    with EmulatorServer(state_file=state, clock=clock, launch_seconds=1) as emu:
        mgn, ec2 = clients(emu.url)
        assert state_of(ec2, first) == "running"
        job = mgn.start_test(sourceServerIDs=[sid])["job"]  # the restarted emulator knows the test instance
        shutil.copy(state, answered)  # the file as it was when StartTest was answered
    forget_process(emu)

    with EmulatorServer(state_file=answered, clock=clock, launch_seconds=1) as emu:
        mgn, ec2 = clients(emu.url)
        clock.advance(2)
        (done,) = mgn.describe_jobs(filters={"jobIDs": [job["jobID"]]})["items"]
        second = launched(done)
        assert instances(ec2, sid) == {first: "terminated", second: "running"}


@pytest.mark.slow
def test_a_seeded_failing_relaunch_still_deletes_the_previous_test_instance(tmp_path: Path) -> None:
    state, clock, sid = tmp_path / "state.json", ManualClock(), server_id(1)
    with EmulatorServer(seed=make_seed([1]), state_file=state, clock=clock, launch_seconds=1) as emu:
        mgn, _ = clients(emu.url)
        test = launched(launch(mgn, clock, "start_test", sid))
    forget_process(emu)
    data = json.loads(state.read_text())
    data["backends"][0]["servers"][0]["launch"] = "fail"  # as if seeded with `launch: fail`, its test instance kept
    state.write_text(json.dumps(data))

    with EmulatorServer(state_file=state, clock=clock, launch_seconds=1) as emu:
        mgn, ec2 = clients(emu.url)
        revert(mgn, sid, "READY_FOR_CUTOVER")
        job = launch(mgn, clock, "start_cutover", sid)
        assert job["participatingServers"][0]["launchStatus"] == "FAILED"
        assert instances(ec2, sid) == {test: "terminated"}
        assert cleanups(mgn, job["jobID"]) == [("CLEANUP_START", test), ("CLEANUP_END", test)]


# ---- the job log while a job runs ----------------------------------------------------------------------------
def test_a_launch_jobs_log_shows_each_servers_progress_while_the_job_runs() -> None:
    clock = ManualClock()
    seed = make_seed([server_entry(1, state="READY_FOR_TEST"), server_entry(2, state="READY_FOR_TEST", launch="fail")])
    with EmulatorServer(seed=seed, clock=clock, launch_seconds=60) as emu:
        mgn, _ = clients(emu.url)
        mgn.start_test(sourceServerIDs=[server_id(1)])
        clock.advance(61)
        old = mgn.describe_source_servers(filters={"sourceServerIDs": [server_id(1)]})["items"][0]
        previous = old["launchedInstance"]["ec2InstanceID"]

        job_id = mgn.start_test(sourceServerIDs=[server_id(1), server_id(2)])["job"]["jobID"]
        polls: list[tuple[str, list[dict[str, Any]]]] = []
        for _ in range(21):  # every 3 s over the 60 s job, and once after it ended
            (job,) = mgn.describe_jobs(filters={"jobIDs": [job_id]})["items"]
            polls.append((job["status"], mgn.describe_job_log_items(jobID=job_id)["items"]))
            clock.advance(3)

    for (_, earlier), (_, later) in zip(polls, polls[1:], strict=False):
        assert later[: len(earlier)] == earlier  # events are only ever added after those listed

    def seen(event: str, server: str) -> int:
        """The first poll whose log has the server's event (``len(polls)`` if none has)."""
        return next((i for i, (_, log) in enumerate(polls)
                     if any(e["event"] == event and e.get("eventData", {}).get("sourceServerID") == server
                            for e in log)), len(polls))

    completed = next(i for i, (status, _) in enumerate(polls) if status == "COMPLETED")
    assert polls[0][0] == "PENDING"
    assert [e["event"] for e in polls[0][1]] == ["JOB_START"]
    order = ["CLEANUP_START", "CLEANUP_END", "SNAPSHOT_START", "SNAPSHOT_END", "CONVERSION_START", "CONVERSION_END",
             "LAUNCH_START"]
    moments = [seen(event, server_id(1)) for event in order]
    assert moments == sorted(moments) and moments[0] > 0 and moments[-1] < completed
    assert len(set(moments)) >= 4  # spread over the job's run, not all at once
    assert seen("CONVERSION_START", server_id(2)) < completed
    assert seen("LAUNCH_FAILED", server_id(2)) == completed

    final = polls[-1][1]
    per_server = {
        sid: [e["event"] for e in final if e.get("eventData", {}).get("sourceServerID") == sid]
        for sid in (server_id(1), server_id(2))
    }
    assert per_server[server_id(1)] == order
    assert per_server[server_id(2)] == [*order[2:], "LAUNCH_FAILED"]  # it had no test instance to delete
    assert [e["event"] for e in final][0] == "JOB_START" and [e["event"] for e in final][-1] == "JOB_END"
    cleanup = [e for e in final if e["event"] == "CLEANUP_START"]
    assert [e["eventData"]["targetInstanceID"] for e in cleanup] == [previous]
    events: Any = botocore.session.get_session().get_service_model("mgn").shape_for("JobLogEvent")
    assert {e["event"] for e in final} <= set(events.enum)  # MGN's JobLogEvent names only (it has no LAUNCH_END)
