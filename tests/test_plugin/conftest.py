"""Fixtures for driving the provider plugin process against the in-process MGN emulator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from tests.harness.emulator import server_id
from tests.harness.plugin import FakeEngine, Plugin

REGION = "us-east-1"


@pytest.fixture(scope="module")
def engine() -> Iterator[FakeEngine]:
    with FakeEngine() as fake:
        yield fake


# One plugin per module: it keeps only its configuration between calls, and a process takes about a second to start.
@pytest.fixture(scope="module")
def plugin_process(engine: FakeEngine) -> Iterator[Plugin]:
    with Plugin(engine.address) as plugin:
        yield plugin


@pytest.fixture
def plugin(plugin_process: Plugin, emulator: EmulatorServer) -> Plugin:
    """The plugin configured as the engine does first: the stack's region, and the emulator as every resource's
    endpoint (the provider's ``endpointUrl``)."""
    plugin_process.configure({"region": REGION, "endpointUrl": emulator.url})
    return plugin_process


def launch(*numbers: int, **overrides: Any) -> dict[str, Any]:
    """A Cutover's or TestLaunch's inputs as a program sets them (camelCase): servers by number, fast polling."""
    return {"sourceServerIds": [server_id(n) for n in numbers], "pollIntervalSeconds": 0.05, **overrides}
