"""The emulator's quotas: MGN's 20 jobs and 200 servers by default, settable in the seed, by flag and by keyword."""

from __future__ import annotations

import pytest

from mgn_emulator import EmulatorServer
from mgn_emulator.__main__ import build_parser
from mgn_emulator.lifecycle import JobQuotas
from mgn_emulator.seed import SeedError
from tests.harness.emulator import make_seed, mgn_client, server_id


def test_a_seed_quota_is_enforced_and_a_keyword_wins_over_it() -> None:
    seed = {**make_seed([1, 2]), "quotas": {"concurrent_jobs": 1}}
    with EmulatorServer(seed=seed, launch_seconds=60) as emu:
        client = mgn_client(emu.url)
        client.start_cutover(sourceServerIDs=[server_id(1)])
        with pytest.raises(client.exceptions.ConflictException, match="'concurrent jobs' is 1"):
            client.start_cutover(sourceServerIDs=[server_id(2)])
    assert EmulatorServer(seed=seed, max_concurrent_jobs=3).backend.quotas == JobQuotas(3, 200)
    assert EmulatorServer(seed=make_seed([1])).backend.quotas == JobQuotas(20, 200)


def test_bad_quotas_are_refused_naming_them() -> None:
    with pytest.raises(SeedError, match="concurrent_jobs must be a whole number of at least 1"):
        EmulatorServer(seed={**make_seed([1]), "quotas": {"concurrent_jobs": 0}})
    args = build_parser().parse_args(["--max-concurrent-jobs", "4", "--max-active-servers", "8"])
    assert (args.max_concurrent_jobs, args.max_active_servers) == (4, 8)
