"""Start, adopt, wait and judge a launch against the emulator, through real boto3 clients."""

from __future__ import annotations

import pytest

from mgn_resources.aws import LaunchKind
from mgn_resources.engine import ServerState
from mgn_resources.errors import (
    JobFailedError,
    JobTimeoutError,
    ServersNotLaunchableError,
)
from tests.harness.emulator import server_id as sid

from .conftest import Rig, servers_seed


def test_cutover_launches_once_and_reports_every_instance(rig: Rig) -> None:
    result = rig.engine.launch(rig.spec(sid(2), sid(1), tags={"wave": "1"}))

    assert result.job.status.value == "COMPLETED"
    assert not result.adopted
    assert [s.source_server_id for s in result.launches] == [sid(2), sid(1)]
    assert all(s.instance_id.startswith("i-") for s in result.launches)
    assert rig.ops().count("StartCutover") == 1
    tags = rig.client().list_tags_for_resource(resourceArn=result.job.arn)["tags"]
    assert tags == {"wave": "1"}
    assert any("2 of 2 launched" in m for m in rig.progress.infos)


def test_a_second_launch_adopts_the_completed_job(rig: Rig) -> None:
    first = rig.engine.launch(rig.spec(sid(1), sid(2)))
    second = rig.engine.launch(rig.spec(sid(2), sid(1)))

    assert second.adopted and second.job.job_id == first.job.job_id
    assert rig.ops().count("StartCutover") == 1


@pytest.mark.slow
def test_a_job_started_by_a_crashed_run_is_adopted_while_running(rig_factory) -> None:  # type: ignore[no-untyped-def]
    rig = rig_factory(launch_seconds=1.5)
    started = rig.client().start_cutover(sourceServerIDs=[sid(1), sid(2)])["job"]["jobID"]

    result = rig.engine.launch(rig.spec(sid(1), sid(2)))

    assert result.adopted and result.job.job_id == started
    assert result.job.status.value == "COMPLETED"
    assert rig.ops().count("StartCutover") == 1


@pytest.mark.slow
def test_failed_server_names_job_server_and_reason_then_a_retry_launches_again(rig_factory) -> None:  # type: ignore[no-untyped-def]
    seed = servers_seed(2)
    seed["servers"][1]["launch"] = "fail"
    rig = rig_factory(seed)

    with pytest.raises(JobFailedError) as failed:
        rig.engine.launch(rig.spec(sid(1), sid(2)))
    message = str(failed.value)
    job_id = rig.client().describe_jobs()["items"][0]["jobID"]
    assert job_id in message and sid(2) in message and sid(1) not in message.split("FAILED:")[1].split(";")[0]
    reason = rig.client().describe_job_log_items(jobID=job_id)["items"]
    raw = [i["eventData"]["rawError"] for i in reason if i["event"] == "LAUNCH_FAILED"]
    assert raw and raw[0] in message

    assert f"{sid(1)} launched and stays launched" in message and f"launches only {sid(2)}" in message

    rig.emu.add_server(sid(2), state="READY_FOR_CUTOVER")  # the cause is fixed
    result = rig.engine.launch(rig.spec(sid(1), sid(2)))
    assert not result.adopted and result.job.job_id != job_id
    starts = [c.body for c in rig.emu.calls() if c.operation == "StartCutover"]
    assert [b["sourceServerIDs"] for b in starts] == [[sid(1), sid(2)], [sid(2)]]  # the retry launches s-2 alone
    first, second = result.launches
    assert (first.job_id, first.state, second.job_id, second.state) == (
        job_id, ServerState.LAUNCHED, result.job.job_id, ServerState.LAUNCHED
    )
    assert any(f"Keeping {sid(1)} (job {job_id}" in m for m in rig.progress.infos)


@pytest.mark.slow
def test_failed_must_succeed_action_after_the_job_completed_is_an_error(rig_factory) -> None:  # type: ignore[no-untyped-def]
    seed = servers_seed(1)
    seed["servers"][0]["post_launch_actions"] = [{"name": "smoke-test", "must_succeed": True, "result": "FAILED"}]
    rig = rig_factory(seed)

    with pytest.raises(JobFailedError) as failed:
        rig.engine.launch(rig.spec(sid(1)))

    assert sid(1) in str(failed.value) and "smoke-test" in str(failed.value)
    assert "post-launch" in str(failed.value)


@pytest.mark.slow
def test_optional_failed_action_is_a_warning_and_reported(rig_factory) -> None:  # type: ignore[no-untyped-def]
    seed = servers_seed(1)
    seed["servers"][0]["post_launch_actions"] = [{"name": "inventory", "must_succeed": False, "result": "FAILED"}]
    rig = rig_factory(seed)

    result = rig.engine.launch(rig.spec(sid(1)))

    (server,) = result.launches
    assert [a.status.value for a in server.post_launch_actions] == ["FAILED"]
    assert any("inventory" in w and sid(1) in w for w in rig.progress.warnings)


@pytest.mark.slow
def test_not_waiting_for_actions_returns_while_they_run(rig_factory) -> None:  # type: ignore[no-untyped-def]
    seed = servers_seed(1)
    seed["servers"][0]["post_launch_actions"] = [{"name": "slow", "must_succeed": True, "result": "SUCCESS"}]
    rig = rig_factory(seed)
    rig.emu.backend.post_launch_seconds = 5.0

    result = rig.engine.launch(rig.spec(sid(1), wait_for_post_launch_actions=False))

    assert result.launches[0].post_launch_actions[0].status.value == "IN_PROGRESS"


@pytest.mark.slow
def test_timeout_names_the_job_and_pending_servers_and_says_it_will_be_adopted(rig: Rig) -> None:
    rig.emu.set_faults(never_complete=True)

    with pytest.raises(JobTimeoutError) as timed_out:
        rig.engine.launch(rig.spec(sid(1), sid(2), timeout_seconds=1.0))

    job_id = rig.client().describe_jobs()["items"][0]["jobID"]
    assert job_id in str(timed_out.value)
    assert sid(1) in str(timed_out.value) and sid(2) in str(timed_out.value)
    assert "adopts" in str(timed_out.value)

    with pytest.raises(JobTimeoutError) as again:
        rig.engine.launch(rig.spec(sid(1), sid(2), timeout_seconds=0.5))
    assert job_id in str(again.value)
    assert any(f"Adopting cutover job {job_id}" in m for m in rig.progress.infos)
    assert rig.ops().count("StartCutover") == 1


def test_unknown_and_unlaunchable_servers_are_refused_before_anything_launches(rig_factory) -> None:  # type: ignore[no-untyped-def]
    seed = servers_seed(1, state="NOT_READY")
    seed["servers"].append({"id": sid(2), "hostname": "h2", "state": "STOPPED"})
    rig = rig_factory(seed)

    with pytest.raises(ServersNotLaunchableError) as refused:
        rig.engine.launch(rig.spec(sid(1), sid(2)))
    assert f"{sid(1)} is NOT_READY (replication has not finished" in str(refused.value)
    assert f"{sid(2)} is STOPPED" in str(refused.value)

    with pytest.raises(ServersNotLaunchableError) as unknown:
        rig.engine.launch(rig.spec(sid(9)))
    assert sid(9) in str(unknown.value) and "us-east-1" in str(unknown.value)
    assert "StartCutover" not in rig.ops()


def test_archived_server_is_refused(rig: Rig) -> None:
    rig.emu.add_server(sid(3), state="DISCONNECTED")
    rig.client().mark_as_archived(sourceServerID=sid(3))  # type: ignore[attr-defined]
    with pytest.raises(ServersNotLaunchableError, match=f"{sid(3)} is archived"):
        rig.engine.launch(rig.spec(sid(3)))


def test_servers_cut_over_by_another_set_are_kept_and_only_the_new_one_launches(rig: Rig) -> None:
    other = rig.engine.launch(rig.spec(sid(1), sid(2)))

    wider = rig.engine.launch(rig.spec(sid(1), sid(2), sid(3)))

    starts = [c.body["sourceServerIDs"] for c in rig.emu.calls() if c.operation == "StartCutover"]
    assert starts == [[sid(1), sid(2)], [sid(3)]]
    assert [s.job_id for s in wider.launches] == [other.job.job_id, other.job.job_id, wider.job.job_id]
    assert [s.instance_id for s in wider.launches[:2]] == [s.instance_id for s in other.launches]


@pytest.mark.slow
def test_test_launch_then_cutover_requires_a_successful_test(rig_factory) -> None:  # type: ignore[no-untyped-def]
    rig = rig_factory(servers_seed(2, state="READY_FOR_TEST"))
    with pytest.raises(ServersNotLaunchableError, match="never had a test launch"):
        rig.engine.launch(rig.spec(sid(1), require_successful_test=True))

    test = rig.engine.launch(rig.spec(sid(1), kind=LaunchKind.TEST, mark_ready_for_cutover=True))
    assert test.marked_ready_for_cutover
    states = rig.api.describe_source_servers([sid(1)])
    assert states[sid(1)].state == "READY_FOR_CUTOVER"

    cutover = rig.engine.launch(rig.spec(sid(1), require_successful_test=True))
    assert cutover.job.initiated_by == "START_CUTOVER"


def test_finalize_skips_servers_already_finalized(rig: Rig) -> None:
    result = rig.engine.launch(rig.spec(sid(1), sid(2)))
    rig.client().finalize_cutover(sourceServerID=sid(1))

    rig.engine.finalize(result.launches)
    finalize_calls = [c.body for c in rig.emu.calls() if c.operation == "FinalizeCutover"]
    assert [b["sourceServerID"] for b in finalize_calls] == [sid(1), sid(2)]
    assert rig.api.describe_source_servers([sid(2)])[sid(2)].state == "CUTOVER"


def test_refresh_reports_each_reverted_server_and_keeps_the_others(rig: Rig) -> None:
    result = rig.engine.launch(rig.spec(sid(1), sid(2)))
    before = rig.engine.refresh(LaunchKind.CUTOVER, result.launches)
    assert before.launches == result.launches and before.any_launched and not rig.progress.warnings

    rig.client().change_server_life_cycle_state(sourceServerID=sid(1), lifeCycle={"state": "READY_FOR_CUTOVER"})

    after = rig.engine.refresh(LaunchKind.CUTOVER, result.launches)
    assert [s.state for s in after.launches] == [ServerState.REVERTED, ServerState.LAUNCHED]
    assert after.any_launched
    assert rig.progress.warnings == [
        f"{sid(1)} was reverted in MGN after job {result.job.job_id} launched it; the next `pulumi up` launches "
        f"{sid(1)} again."
    ]
    rig.client().change_server_life_cycle_state(sourceServerID=sid(2), lifeCycle={"state": "READY_FOR_CUTOVER"})
    assert not rig.engine.refresh(LaunchKind.CUTOVER, result.launches).any_launched



@pytest.mark.slow
def test_retag_adds_changes_and_removes_job_tags(rig: Rig) -> None:
    result = rig.engine.launch(rig.spec(sid(1), tags={"a": "1", "b": "2"}))
    rig.engine.retag(result.job.arn, {"a": "1", "b": "2"}, {"a": "1", "c": "3"})
    assert rig.client().list_tags_for_resource(resourceArn=result.job.arn)["tags"] == {"a": "1", "c": "3"}


@pytest.mark.slow
def test_adopting_a_marked_test_launch_claims_no_call_it_did_not_make(rig_factory) -> None:  # type: ignore[no-untyped-def]
    rig = rig_factory(servers_seed(2, state="READY_FOR_TEST"))
    spec = rig.spec(sid(1), sid(2), kind=LaunchKind.TEST, mark_ready_for_cutover=True)
    first = rig.engine.launch(spec)
    assert [m for m in rig.progress.infos if m.startswith("Marked ")] == [
        f"Marked {sid(1)}, {sid(2)} ready for cutover after test job {first.job.job_id}."
    ]
    rig.progress.infos.clear()
    rig.emu.clear_calls()

    again = rig.engine.launch(spec)  # adopts: both servers are READY_FOR_CUTOVER already

    assert again.adopted and again.job.job_id == first.job.job_id
    assert "ChangeServerLifeCycleState" not in rig.ops()
    assert not [m for m in rig.progress.infos if m.startswith("Marked ")], rig.progress.infos


def test_refresh_follows_a_server_launched_again_outside_the_stack(rig: Rig) -> None:
    result = rig.engine.launch(rig.spec(sid(1)))
    rig.client().change_server_life_cycle_state(sourceServerID=sid(1), lifeCycle={"state": "READY_FOR_CUTOVER"})
    outside = rig.client().start_cutover(sourceServerIDs=[sid(1)])["job"]["jobID"]
    rig.engine.launch(rig.spec(sid(1)))  # waits for that job (adopts it): no launch of its own
    rig.progress.warnings.clear()

    refreshed = rig.engine.refresh(LaunchKind.CUTOVER, result.launches)

    (now,) = refreshed.launches
    assert (now.state, now.job_id) == (ServerState.LAUNCHED, outside) and now.instance_id
    assert rig.progress.warnings == [
        f"{sid(1)} was launched again outside this stack, by cutover job {outside} (instance {now.instance_id}); "
        "the stack now tracks that launch."
    ]
    assert rig.ops().count("StartCutover") == 2  # the engine's first launch and the one outside


@pytest.mark.slow
def test_a_test_launch_whose_servers_were_cut_over_since_is_done_not_launched_again(
    rig_factory,  # type: ignore[no-untyped-def]
) -> None:
    rig = rig_factory(servers_seed(1, state="READY_FOR_TEST"))
    test = rig.engine.launch(rig.spec(sid(1), kind=LaunchKind.TEST, mark_ready_for_cutover=True))
    rig.engine.launch(rig.spec(sid(1), require_successful_test=True))

    refreshed = rig.engine.refresh(LaunchKind.TEST, test.launches)
    again = rig.engine.launch(rig.spec(sid(1), kind=LaunchKind.TEST, mark_ready_for_cutover=True))

    assert [s.state for s in refreshed.launches] == [ServerState.SUPERSEDED] and refreshed.follow_up_done
    assert [s.state for s in again.launches] == [ServerState.SUPERSEDED] and again.adopted
    assert rig.ops().count("StartTest") == 1 and not rig.progress.warnings


def test_preflight_is_read_only_and_raises_what_the_launch_would(rig: Rig) -> None:
    rig.engine.launch(rig.spec(sid(1)))
    rig.emu.add_server(sid(3), state="NOT_READY")
    rig.emu.clear_calls()

    assert list(rig.engine.preflight(rig.spec(sid(1), sid(2))).to_launch) == [sid(2)]
    with pytest.raises(ServersNotLaunchableError, match=f"{sid(3)} is NOT_READY"):
        rig.engine.preflight(rig.spec(sid(1), sid(3)))
    assert {op for op in rig.ops()} <= {"DescribeSourceServers", "DescribeJobs", "DescribeInstanceStatus"}


@pytest.mark.slow
def test_a_test_launch_stays_done_after_the_cutover_that_followed_it_is_reverted(
    rig_factory,  # type: ignore[no-untyped-def]
) -> None:
    rig = rig_factory(servers_seed(1, state="READY_FOR_TEST"))
    test = rig.engine.launch(rig.spec(sid(1), kind=LaunchKind.TEST, mark_ready_for_cutover=True))
    rig.engine.launch(rig.spec(sid(1)))
    rig.client().change_server_life_cycle_state(sourceServerID=sid(1), lifeCycle={"state": "READY_FOR_CUTOVER"})

    refreshed = rig.engine.refresh(LaunchKind.TEST, test.launches)

    assert [s.state for s in refreshed.launches] == [ServerState.SUPERSEDED] and not rig.progress.warnings
    again = rig.engine.launch(rig.spec(sid(1), kind=LaunchKind.TEST, mark_ready_for_cutover=True))
    assert again.adopted and rig.ops().count("StartTest") == 1
