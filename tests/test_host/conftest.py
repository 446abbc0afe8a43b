"""Fixtures for driving the real dynamic-provider host against the in-process MGN emulator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from tests.harness import ProviderHost
from tests.harness.emulator import mgn_client
from tests.harness.mgn import SEED, start_host


@pytest.fixture
def emu() -> Iterator[EmulatorServer]:
    with EmulatorServer(seed=SEED, launch_seconds=0.4) as server:
        yield server


@pytest.fixture
def mgn(emu: EmulatorServer) -> Any:
    return mgn_client(emu.url)


# One host per module: the provider keeps no state between calls, and a host takes about a second to start.
@pytest.fixture(scope="module")
def cutover_host() -> Iterator[ProviderHost]:
    from mgn_resources.provider.cutover import CutoverProvider

    with start_host(CutoverProvider()) as host:
        yield host


@pytest.fixture(scope="module")
def test_launch_host() -> Iterator[ProviderHost]:
    from mgn_resources.provider.test_launch import TestLaunchProvider

    with start_host(TestLaunchProvider()) as host:
        yield host
