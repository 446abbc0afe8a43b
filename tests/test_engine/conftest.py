"""Engine fixtures: a threaded emulator and an engine that reaches it through a real boto3 client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from botocore.config import Config

from mgn_emulator import EmulatorServer
from mgn_resources.aws import Connection, LaunchKind, MgnApi, build_client
from mgn_resources.clock import SYSTEM_CLOCK
from mgn_resources.engine import LaunchEngine, LaunchSpec, SharedJobPoller, Teardown
from mgn_resources.lifecycle.translate import launch_spec
from tests.harness.emulator import make_seed, server_entry
from tests.harness.emulator import mgn_client as plain_client

# Retries as in production (standard mode), with timeouts short enough for a test.
FAST_RETRIES = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=1, read_timeout=2)


@dataclass
class RecordingProgress:
    infos: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def info(self, message: str) -> None:
        self.infos.append(message)

    def warn(self, message: str) -> None:
        self.warnings.append(message)


@dataclass
class Rig:
    emu: EmulatorServer
    api: MgnApi
    engine: LaunchEngine
    teardown: Teardown
    progress: RecordingProgress
    _plain_clients: dict[str, Any] = field(default_factory=dict)

    def spec(self, *ids: str, kind: LaunchKind = LaunchKind.CUTOVER, **inputs: Any) -> LaunchSpec:
        """The LaunchSpec the provider would build from these inputs, polling fast and waiting 30 s by default."""
        return launch_spec(kind, {"poll_interval_seconds": 0.05, "timeout_seconds": 30.0, **inputs,
                                  "source_server_ids": ids})

    def client(self) -> Any:
        """A plain boto3 client for arranging and inspecting MGN, apart from the engine's own client."""
        if self.emu.url not in self._plain_clients:
            self._plain_clients[self.emu.url] = plain_client(self.emu.url)
        return self._plain_clients[self.emu.url]

    def ops(self) -> list[str]:
        return [c.operation for c in self.emu.calls()]


def servers_seed(count: int, state: str = "READY_FOR_CUTOVER", **extra: Any) -> dict[str, Any]:
    return make_seed([server_entry(n, state=state, **extra) for n in range(1, count + 1)])


@pytest.fixture
def rig_factory() -> Iterator[Callable[..., Rig]]:
    started: list[EmulatorServer] = []

    def make(
        seed: dict[str, Any] | None = None,
        *,
        launch_seconds: float = 0.3,
        account_id: str = "",
        config: Config | None = None,
        **emulator: Any,
    ) -> Rig:
        emu = EmulatorServer(seed=seed or servers_seed(4), launch_seconds=launch_seconds, **emulator).start()
        started.append(emu)
        connection = Connection(region="us-east-1", endpoint_url=emu.url)
        api = MgnApi(build_client(connection, config=config or FAST_RETRIES), account_id)
        poller = SharedJobPoller(SYSTEM_CLOCK)
        progress = RecordingProgress()
        engine = LaunchEngine(api, poller, SYSTEM_CLOCK, progress, "us-east-1")
        return Rig(emu, api, engine, Teardown(api, poller, SYSTEM_CLOCK, progress), progress)

    yield make
    for emu in started:
        emu.stop()


@pytest.fixture
def rig(rig_factory: Callable[..., Rig]) -> Rig:
    return rig_factory()
