"""Admission at MGN's quota through the real pulumi CLI (issue 22): more parallel waves than the account has job slots.

The account's quota here (2) is below MGN's documented one (20), which the provider assumes: the first waves are
refused once, the provider learns the account's quota from the refusal and its listing of the active jobs, and every
other wave waits for a slot, saying so, and is started once, with no refusal after the first round. (The order in
which waves that come in together are granted is tested in ``tests/test_engine/test_admission.py``, where their
arrival is controlled; through the engine, creates of parallel waves reach the provider a few milliseconds apart.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from mgn_emulator import EmulatorServer
from mgn_resources.clock import parse_iso8601
from tests.harness.cli import CliProject
from tests.harness.emulator import make_seed, mgn_client, server_id

pytestmark = pytest.mark.e2e

WAVES = 6
QUOTA = 2


@pytest.fixture
def small_account() -> Iterator[EmulatorServer]:
    with EmulatorServer(seed=make_seed(range(1, WAVES + 1)), launch_seconds=1.5, post_launch_seconds=0.0,
                        max_concurrent_jobs=QUOTA) as emu:
        yield emu


def test_parallel_waves_beyond_the_quota_wait_for_a_slot_and_start_once_each(
    tmp_path: Path, small_account: EmulatorServer
) -> None:
    waves = [{"name": f"w{n}", "sourceServerIds": [server_id(n)], "parallel": n > 1} for n in range(1, WAVES + 1)]
    project = CliProject.create(tmp_path, small_account.url, waves=waves)
    project.select()

    output = project.up(timeout=300).stdout

    assert f"Waiting for a free MGN job slot ({QUOTA} of {QUOTA} in use in us-east-1)" in output
    in_use = [int(n) for n in re.findall(rf"job slot \((\d+) of {QUOTA} in use", output)]
    assert max(in_use) == QUOTA, in_use  # never more in use than the account has
    starts = [c for c in small_account.calls() if c.operation == "StartCutover"]
    accepted = sorted(c.body["sourceServerIDs"][0] for c in starts if c.status < 300)
    assert accepted == [server_id(n) for n in range(1, WAVES + 1)]  # each wave started once
    jobs = mgn_client(small_account.url).describe_jobs(filters={})["items"]
    first_end = min(parse_iso8601(job["endDateTime"]) for job in jobs)
    refused = [c for c in starts if c.status == 409]
    assert len(refused) <= WAVES - QUOTA and all(c.time < first_end for c in refused)  # learned in the first round
    assert sorted(project.outputs()["job_ids"]) == [f"w{n}" for n in range(1, WAVES + 1)]
