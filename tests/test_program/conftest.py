"""Fixtures for the program tests: an emulator seeded like `make up`'s."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mgn_emulator import EmulatorServer
from tests.harness.program import LOCAL_SEED


@pytest.fixture
def local_emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(seed=LOCAL_SEED, launch_seconds=0.3, post_launch_seconds=0.2) as server:
        yield server
