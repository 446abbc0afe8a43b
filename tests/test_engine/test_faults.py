"""Throttling, outages, late-visible jobs and quotas: the wait carries on, and nothing launches twice."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from botocore.config import Config

from mgn_emulator import EmulatorServer
from mgn_resources.aws import TransientApiError
from mgn_resources.errors import JobFailedError
from tests.harness.emulator import server_id as sid

from .conftest import Rig, servers_seed


def later(seconds: float, action) -> threading.Thread:  # type: ignore[no-untyped-def]
    thread = threading.Timer(seconds, action)
    thread.start()
    return thread


@pytest.mark.slow
def test_throttled_polls_are_retried_and_the_launch_completes(rig: Rig) -> None:
    rig.emu.set_faults(throttle_next=4, operations=["DescribeJobs"])
    result = rig.engine.launch(rig.spec(sid(1)))
    statuses = [c.status for c in rig.emu.calls() if c.operation == "DescribeJobs"]
    assert statuses.count(429) == 4
    assert result.job.status.value == "COMPLETED"
    assert rig.ops().count("StartCutover") == 1


@pytest.mark.slow
def test_a_server_error_outage_is_logged_once_and_waited_out(rig: Rig) -> None:
    rig.emu.set_faults(error_rate=1.0, operations=["DescribeJobs"])
    timer = later(2.5, lambda: rig.emu.set_faults())

    result = rig.engine.launch(rig.spec(sid(1), timeout_seconds=60))

    timer.join()
    assert result.job.status.value == "COMPLETED"
    outage_warnings = [w for w in rig.progress.warnings if "Polling job" in w]
    assert len(outage_warnings) == 1 and result.job.job_id in outage_warnings[0]
    assert any("answers again" in m for m in rig.progress.infos)
    assert rig.ops().count("StartCutover") == 1


@pytest.mark.slow
def test_a_stalled_endpoint_times_out_reads_and_the_wait_goes_on(rig_factory) -> None:  # type: ignore[no-untyped-def]
    config = Config(retries={"mode": "standard", "max_attempts": 1}, connect_timeout=1, read_timeout=0.5)
    rig = rig_factory(config=config)
    rig.emu.set_faults(latency_seconds=1.0, operations=["DescribeJobs"])
    timer = later(2.0, lambda: rig.emu.set_faults())

    result = rig.engine.launch(rig.spec(sid(1), timeout_seconds=60))

    timer.join()
    assert result.job.status.value == "COMPLETED"
    assert any("Polling job" in w for w in rig.progress.warnings)
    assert rig.ops().count("StartCutover") == 1


@pytest.mark.slow
def test_refused_connections_while_the_endpoint_restarts(rig_factory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "state.json"
    rig = rig_factory(launch_seconds=1.0, state_file=state)
    port = rig.emu.port

    def restart() -> None:
        rig.emu.stop()
        time.sleep(4.0)  # longer than botocore's own retries of a refused connection
        rig.emu = EmulatorServer(state_file=state, port=port, launch_seconds=1.0).start()

    timer = later(0.3, restart)
    try:
        result = rig.engine.launch(rig.spec(sid(1), timeout_seconds=60))
    finally:  # the restarted emulator is not the factory's: stop it even when the launch fails
        timer.join()
        rig.emu.stop()

    assert result.job.status.value == "COMPLETED"
    assert any("Polling job" in w and "reached" in w for w in rig.progress.warnings)
    assert state.read_text().count('"START_CUTOVER"') == 1


def test_a_launch_whose_reply_was_lost_is_adopted_not_repeated(rig: Rig) -> None:
    rig.emu.set_faults(lose_reply_next=1, operations=["StartCutover"])

    result = rig.engine.launch(rig.spec(sid(1), sid(2)))

    starts = [c.status for c in rig.emu.calls() if c.operation == "StartCutover"]
    assert starts == [500, 409]  # carried out but answered 500; botocore's retry met the busy servers
    assert [j["jobID"] for j in rig.client().describe_jobs()["items"]] == [result.job.job_id]
    assert result.adopted and result.job.status.value == "COMPLETED"


@pytest.mark.slow
def test_a_job_invisible_at_first_is_waited_for(rig: Rig) -> None:
    rig.emu.set_faults(invisible_seconds=1.5)
    result = rig.engine.launch(rig.spec(sid(1), sid(2)))
    assert result.job.status.value == "COMPLETED"
    assert rig.ops().count("StartCutover") == 1


@pytest.mark.slow
def test_at_the_concurrent_job_quota_the_launch_waits_for_room(rig_factory) -> None:  # type: ignore[no-untyped-def]
    rig = rig_factory(servers_seed(21), launch_seconds=2.0)
    for n in range(1, 21):
        rig.client().start_cutover(sourceServerIDs=[sid(n)])

    result = rig.engine.launch(rig.spec(sid(21), timeout_seconds=60, poll_interval_seconds=0.5))

    assert result.job.status.value == "COMPLETED"
    starts = [c.status for c in rig.emu.calls() if c.operation == "StartCutover"]
    assert starts[:20] == [202] * 20 and 409 in starts[20:] and starts[-1] == 202
    assert any("20 concurrent jobs" in m and "Waiting" in m for m in rig.progress.infos)


@pytest.mark.slow
def test_quota_that_never_frees_ends_in_a_timeout_naming_the_quota(rig_factory) -> None:  # type: ignore[no-untyped-def]
    rig = rig_factory(servers_seed(21))
    rig.emu.set_faults(never_complete=True)
    for n in range(1, 21):
        rig.client().start_cutover(sourceServerIDs=[sid(n)])

    with pytest.raises(Exception, match="20 concurrent jobs.*nothing was launched"):
        rig.engine.launch(rig.spec(sid(21), timeout_seconds=1.0, poll_interval_seconds=0.2))


@pytest.mark.slow
def test_a_start_that_keeps_failing_after_a_failed_job_gives_up_without_looping(rig_factory) -> None:  # type: ignore[no-untyped-def]
    seed = servers_seed(1)
    seed["servers"][0]["launch"] = "fail"
    rig = rig_factory(seed)
    with pytest.raises(JobFailedError):
        rig.engine.launch(rig.spec(sid(1)))
    rig.emu.set_faults(error_rate=1.0, operations=["StartCutover"])  # the retry's StartCutover keeps failing
    outcome: list[BaseException] = []

    def launch() -> None:
        try:
            rig.engine.launch(rig.spec(sid(1)))
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=launch, daemon=True)
    worker.start()
    worker.join(30)

    assert not worker.is_alive(), "the launch kept retrying StartCutover"
    assert len(outcome) == 1 and isinstance(outcome[0], TransientApiError)
    assert "StartCutover" in str(outcome[0])
    assert [c.status for c in rig.emu.calls() if c.operation == "StartCutover"][0] == 202  # the failed job's
