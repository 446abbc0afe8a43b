"""The whole launch path through the real host: test launch, adoption, mark ready, cut over, terminate.

Also what a user sees when things go wrong: one sentence naming the thing at fault, no botocore traceback,
and no credentials anywhere.
"""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from mgn_resources.lifecycle.engine_watch import CHECK_EVERY_SECONDS, MISSES_TO_EXIT
from tests.harness import CreateResult, HostError, ProviderHost
from tests.harness.emulator import lifecycle_state
from tests.harness.mgn import SERVERS, STACK_CONFIG, start_host, up

pytestmark = pytest.mark.slow

TESTED = SERVERS[3:5]  # READY_FOR_TEST in the seed
SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY"


def news(emu: EmulatorServer, **overrides: Any) -> dict[str, Any]:
    return {"source_server_ids": list(TESTED), "endpoint_url": emu.url, "poll_interval_seconds": 0.05, **overrides}


def create(host: ProviderHost, props: dict[str, Any]) -> CreateResult:
    return up(host, props)[1]


@pytest.fixture
def both(test_launch_host: ProviderHost) -> tuple[ProviderHost, ProviderHost]:
    from mgn_resources import CutoverProvider

    cutover = start_host(CutoverProvider())
    yield test_launch_host, cutover  # type: ignore[misc]
    cutover.stop()


def test_test_launch_then_cutover_requiring_it(both: tuple[ProviderHost, ProviderHost], emu: EmulatorServer) -> None:
    test_host, cutover_host = both
    tested = create(test_host, news(emu))
    assert tested.outs["marked_ready_for_cutover"] is True

    cut = create(cutover_host, news(emu, require_successful_test=True, finalize=True))

    assert cut.outs["finalized"] is True and cut.id != tested.id
    assert emu.call_count("StartTest") == 1 and emu.call_count("StartCutover") == 1


def test_a_second_test_launch_create_adopts_the_job(test_launch_host: ProviderHost, emu: EmulatorServer) -> None:
    first = create(test_launch_host, news(emu, mark_ready_for_cutover=False))
    again = create(test_launch_host, news(emu, mark_ready_for_cutover=False))
    assert again.id == first.id
    assert emu.call_count("StartTest") == 1
    assert f"info: Keeping {first.outs['source_server_ids'][0]} (job {first.id}" in test_launch_host.stderr


def test_a_failed_test_blocks_a_cutover_that_requires_it(
    both: tuple[ProviderHost, ProviderHost], emu: EmulatorServer
) -> None:
    test_host, cutover_host = both
    emu.add_server(TESTED[1], state="READY_FOR_TEST", launch="fail")
    with pytest.raises(HostError) as failed_test:
        create(test_host, news(emu))
    assert TESTED[1] in failed_test.value.details and "FAILED" in failed_test.value.details

    with pytest.raises(HostError) as refused:
        create(cutover_host, news(emu, require_successful_test=True))
    assert f"{TESTED[1]}'s last test launch" in refused.value.details
    assert emu.call_count("StartCutover") == 0


def test_mark_ready_waits_for_must_succeed_actions(
    test_launch_host: ProviderHost, emu: EmulatorServer, mgn: Any
) -> None:
    emu.add_server(
        TESTED[0],
        state="READY_FOR_TEST",
        post_launch_actions=[{"name": "smoke-test", "must_succeed": True, "result": "FAILED"}],
    )
    with pytest.raises(HostError) as failed:
        create(test_launch_host, news(emu))
    assert "smoke-test" in failed.value.details and TESTED[0] in failed.value.details
    assert emu.call_count("ChangeServerLifeCycleState") == 0
    assert lifecycle_state(mgn, TESTED[0]) == "TESTING"


def test_terminate_on_delete_ends_the_test_instances(
    test_launch_host: ProviderHost, emu: EmulatorServer, mgn: Any
) -> None:
    created = create(test_launch_host, news(emu, on_delete="terminate", mark_ready_for_cutover=False))
    test_launch_host.delete(created.id, created.outs)
    assert emu.call_count("TerminateTargetInstances") == 1
    jobs = mgn.describe_jobs()["items"]
    assert jobs[0]["type"] == "TERMINATE" and jobs[0]["status"] == "COMPLETED"
    assert [lifecycle_state(mgn, s) for s in TESTED] == ["READY_FOR_TEST", "READY_FOR_TEST"]


def test_errors_reach_the_engine_as_their_one_sentence_without_a_traceback(emu: EmulatorServer) -> None:
    from mgn_resources import CutoverProvider

    emu.add_server(SERVERS[5], state="NOT_READY")
    with start_host(CutoverProvider()) as host:
        with pytest.raises(HostError) as refused:
            create(host, news(emu, source_server_ids=[SERVERS[5]]))
    details = refused.value.details.strip()
    assert details.startswith("Cannot start the cutover:") and "\n" not in details
    assert SERVERS[5] in details and "NOT_READY" in details
    assert "Traceback" not in details and "botocore" not in details


def test_a_bug_in_the_provider_keeps_its_traceback(emu: EmulatorServer) -> None:
    from mgn_resources import CutoverProvider

    with start_host(CutoverProvider()) as host:
        with pytest.raises(HostError) as failed:
            host.create({**news(emu), "timeout_seconds": "not a number"})  # skips check: a TypeError inside
    assert failed.value.details.startswith("Traceback (most recent call last):")


def test_credentials_never_reach_outputs_or_logs(emu: EmulatorServer) -> None:
    from mgn_resources import CutoverProvider

    env = {"AWS_ACCESS_KEY_ID": "AKIDLOGCHECK", "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_SESSION_TOKEN": SECRET + "T"}
    with start_host(CutoverProvider(), env=env) as host:
        created = create(host, news(emu, source_server_ids=[SERVERS[2]]))
        host.delete(created.id, created.outs)
        text = repr(created.outs) + host.stderr + host.stdout
    assert SECRET not in text and "AKIDLOGCHECK" not in text
    assert {c.access_key for c in emu.calls()} == {"AKIDLOGCHECK"}  # the host did use those credentials


def test_finalize_turned_on_in_an_update_finalizes_without_launching(
    cutover_host: ProviderHost, emu: EmulatorServer, mgn: Any
) -> None:
    servers = SERVERS[1:3]
    created = create(cutover_host, news(emu, source_server_ids=servers))
    checked = cutover_host.check(created.outs, news(emu, source_server_ids=servers, finalize=True)).inputs
    diff = cutover_host.diff(created.id, created.outs, checked)
    assert diff.changed and not diff.replace

    outs = cutover_host.update(created.id, created.outs, checked)

    assert outs["finalized"] is True and outs["job_id"] == created.id and outs["instance_ids"]
    assert emu.call_count("FinalizeCutover") == 2 and emu.call_count("StartCutover") == 1
    assert {lifecycle_state(mgn, s) for s in servers} == {"CUTOVER"}


def test_the_host_ends_itself_once_its_engine_is_gone(emu: EmulatorServer) -> None:
    from mgn_resources import CutoverProvider

    engine = socket.create_server(("127.0.0.1", 0))  # stands in for the engine's gRPC port
    address = f"127.0.0.1:{engine.getsockname()[1]}"
    host = ProviderHost(CutoverProvider(), engine_address=address)
    try:
        host.configure(STACK_CONFIG)
        assert host.check({}, news(emu)).failures == []  # the provider is loaded: the watch runs
        time.sleep(2 * CHECK_EVERY_SECONDS)
        assert host.process.poll() is None  # the engine answers: the host stays
        engine.close()
        host.process.wait(timeout=(MISSES_TO_EXIT + 2) * CHECK_EVERY_SECONDS)
        assert f"the pulumi engine at {address} is gone" in host.stderr
    finally:
        engine.close()
        host.kill()
