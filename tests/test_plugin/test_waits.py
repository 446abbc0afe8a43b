"""Waits through the plugin: customTimeouts bound one call's wait, and many resources wait at once."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest

from mgn_emulator import EmulatorServer
from tests.conftest import DEFAULT_SEED
from tests.harness import HostError
from tests.harness.emulator import make_seed, mgn_client, server_id
from tests.harness.plugin import CUTOVER, Plugin

from .conftest import REGION, launch


@pytest.mark.slow
def test_a_custom_timeout_bounds_the_wait_and_the_next_create_adopts_the_job(plugin_process: Plugin) -> None:
    with EmulatorServer(seed=DEFAULT_SEED, launch_seconds=4) as slow:
        plugin_process.configure({"region": REGION, "endpointUrl": slow.url})
        checked = plugin_process.check(CUTOVER, {}, launch(1)).inputs

        with pytest.raises(HostError) as timed_out:
            plugin_process.create(CUTOVER, checked, timeout=1)
        details = timed_out.value.details
        assert "did not finish within 1 s" in details and "the next `pulumi up` adopts it" in details
        assert "\n" not in details.strip()

        created = plugin_process.create(CUTOVER, checked, timeout=60)
        assert slow.call_count("StartCutover") == 1
        assert created.outs["jobStatus"] == "COMPLETED"
        assert created.outs["timeoutSeconds"] == 3600  # the input as given, not the call's bound


@pytest.mark.slow
def test_many_cutovers_wait_at_once(plugin_process: Plugin) -> None:
    # More than the worker threads asyncio gives a loop by default (min(32, CPUs + 4)), within MGN's 20 active jobs.
    count = min(20, min(32, (os.cpu_count() or 1) + 4) + 4)
    launch_seconds = 3.0
    with EmulatorServer(seed=make_seed(range(1, count + 1)), launch_seconds=launch_seconds) as emu:
        plugin_process.configure({"region": REGION, "endpointUrl": emu.url})
        inputs = [plugin_process.check(CUTOVER, {}, launch(n)).inputs for n in range(1, count + 1)]
        with ThreadPoolExecutor(max_workers=count) as pool:
            created = list(pool.map(lambda i: plugin_process.create(CUTOVER, i[1], name=f"w{i[0]}"), enumerate(inputs)))

        assert [c.outs["sourceServerIds"] for c in created] == [[server_id(n)] for n in range(1, count + 1)]
        started = [
            datetime.fromisoformat(str(job["creationDateTime"]).replace("Z", "+00:00"))
            for job in mgn_client(emu.url).describe_jobs()["items"]
        ]
        assert len(started) == count
        # All started before the first could finish: no create waited for another's worker thread.
        assert (max(started) - min(started)).total_seconds() < launch_seconds
