"""The stack the host and program tests share: its emulator seed, its config, and a provider host configured with it."""

from __future__ import annotations

from typing import Any

from .emulator import server_id
from .host import ProviderHost
from .results import CreateResult

REGION = "us-east-1"
SERVERS = [server_id(n) for n in range(1, 7)]  # s-00000000000000001 ... 6

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
