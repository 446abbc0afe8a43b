"""Cancel over gRPC, as the engine sends it on the CLI's first Ctrl-C: a waiting create ends within about a second
with one sentence naming its job, nothing launches after it, and the next run's create adopts the job.

Each test starts its own plugin process: a cancel is for the rest of the process's life, as it is for the update the
engine started the plugin for.
"""

from __future__ import annotations

import signal
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from mgn_emulator import EmulatorServer
from tests.conftest import DEFAULT_SEED
from tests.harness import HostError
from tests.harness.emulator import mgn_client
from tests.harness.plugin import CUTOVER, FakeEngine, Plugin

from .conftest import REGION, launch

#: The issue's "promptly", with room for a gRPC round trip to a busy plugin.
PROMPTLY_SECONDS = 1.5


def wait_for(emulator: EmulatorServer, operation: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while emulator.call_count(operation) == 0:
        assert time.monotonic() < deadline, f"no {operation} within {timeout} s"
        time.sleep(0.02)


@pytest.mark.slow
def test_cancel_ends_a_waiting_create_promptly_naming_the_job_and_the_next_create_adopts_it(
    engine: FakeEngine,
) -> None:
    with EmulatorServer(seed=DEFAULT_SEED, launch_seconds=4) as slow:
        with Plugin(engine.address) as plugin, ThreadPoolExecutor(max_workers=1) as pool:
            plugin.configure({"region": REGION, "endpointUrl": slow.url})
            checked = plugin.check(CUTOVER, {}, launch(1, pollIntervalSeconds=30)).inputs
            creating = pool.submit(plugin.create, CUTOVER, checked, name="waits")
            wait_for(slow, "StartCutover")
            time.sleep(0.3)  # into the wait

            cancelled_at = time.monotonic()
            plugin.cancel()
            with pytest.raises(HostError) as cancelled:
                creating.result(timeout=30)
            took = time.monotonic() - cancelled_at

            (job,) = mgn_client(slow.url).describe_jobs()["items"]
            assert took < PROMPTLY_SECONDS, f"the create ended {took:.2f} s after Cancel"
            assert cancelled.value.details == (
                f"The cutover job {job['jobID']} was not waited for to the end: the update was cancelled; the job "
                "goes on in MGN and the next `pulumi up` adopts it."
            )
            assert job["status"] != "COMPLETED"

            # After the cancel, a create that has not started its launch starts none.
            other = plugin.check(CUTOVER, {}, launch(2)).inputs
            with pytest.raises(HostError) as refused:
                plugin.create(CUTOVER, other, name="after")
            assert refused.value.details.startswith("The cutover of s-00000000000000002 was not started: the update "
                                                    "was cancelled; nothing was launched")
            assert slow.call_count("StartCutover") == 1

        # The next `pulumi up`: a new plugin process, whose create adopts the job.
        with Plugin(engine.address) as again:
            again.configure({"region": REGION, "endpointUrl": slow.url})
            created = again.create(CUTOVER, checked, name="waits")

        assert created.id == job["jobID"] and created.outs["jobStatus"] == "COMPLETED"
        assert slow.call_count("StartCutover") == 1


@pytest.mark.slow
def test_the_engine_stopping_the_plugin_ends_a_waiting_create_with_its_sentence(engine: FakeEngine) -> None:
    # The engine closes a plugin with SIGINT, then SIGKILL 5 s later: the create answers before that, named.
    with EmulatorServer(seed=DEFAULT_SEED, launch_seconds=20) as slow:
        with Plugin(engine.address) as plugin, ThreadPoolExecutor(max_workers=1) as pool:
            plugin.configure({"region": REGION, "endpointUrl": slow.url})
            checked = plugin.check(CUTOVER, {}, launch(1, pollIntervalSeconds=30)).inputs
            creating = pool.submit(plugin.create, CUTOVER, checked, name="waits")
            wait_for(slow, "StartCutover")
            time.sleep(0.3)

            stopped_at = time.monotonic()
            plugin.process.send_signal(signal.SIGINT)
            with pytest.raises(HostError) as cancelled:
                creating.result(timeout=30)
            plugin.process.wait(timeout=10)
            took = time.monotonic() - stopped_at

        assert took < 5, f"the plugin ended {took:.2f} s after SIGINT"
        assert "was not waited for to the end: the update was cancelled" in cancelled.value.details
        assert "Traceback" not in plugin.stderr
        assert slow.call_count("StartCutover") == 1
