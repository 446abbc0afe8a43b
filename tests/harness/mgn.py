"""Shared MGN test data and helpers: the emulator seed the host and program tests use, and call-log checks."""

from __future__ import annotations

from typing import Any

from mgn_resources.emulator.testing import mgn_client as mgn_client  # the one client helper, re-exported
from mgn_resources.emulator.testing import server_id

from .host import ProviderHost
from .results import CreateResult

REGION = "us-east-1"
SERVERS = [server_id(n) for n in range(1, 7)]  # s-00000000000000001 ... 6
READ_ONLY_PREFIXES = ("Describe", "List")

SEED: dict[str, Any] = {
    "servers": [
        {
            "id": SERVERS[0],
            "hostname": "web-01",
            "state": "READY_FOR_CUTOVER",
            "post_launch_actions": [{"name": "smoke-test", "must_succeed": True, "result": "SUCCESS"}],
        },
        {"id": SERVERS[1], "hostname": "web-02", "state": "READY_FOR_CUTOVER"},
        {"id": SERVERS[2], "hostname": "db-01", "state": "READY_FOR_CUTOVER"},
        {"id": SERVERS[3], "hostname": "app-01", "state": "READY_FOR_TEST"},
        {"id": SERVERS[4], "hostname": "app-02", "state": "READY_FOR_TEST"},
        {"id": SERVERS[5], "hostname": "batch-01", "state": "READY_FOR_CUTOVER"},
    ]
}
STACK_CONFIG = {"aws:region": REGION, "mgn-cutover:tagInstances": "false"}


def mutating_calls(emu: Any) -> list[str]:
    """The operations the emulator saw that could change something (anything but Describe*/List*)."""
    return [c.operation for c in emu.calls() if not c.operation.startswith(READ_ONLY_PREFIXES)]


def lifecycle_state(mgn: Any, server_id: str) -> str:
    servers = mgn.describe_source_servers(filters={"sourceServerIDs": [server_id]})["items"]
    return str(servers[0]["lifeCycle"]["state"])


def start_host(provider: Any, env: dict[str, str] | None = None) -> ProviderHost:
    """A host for ``provider``, configured with the test stack's config (as the engine does first)."""
    host = ProviderHost(provider, env=env)
    host.configure(STACK_CONFIG)
    return host


def up(host: ProviderHost, news: dict[str, Any]) -> tuple[dict[str, Any], CreateResult]:
    """What `pulumi up` does for a new resource: check (which must pass), then create with the checked inputs."""
    checked = host.check({}, news)
    assert checked.failures == [], checked.failures
    return checked.inputs, host.create(checked.inputs)
