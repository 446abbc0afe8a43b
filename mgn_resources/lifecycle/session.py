"""From props and stack config to a live engine: connection, API, shared poller, the face's progress, and the face's
cancellation (the plugin's Cancel; the dynamic face has none)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..aws import Connection, LazyEc2Client, MgnApi, TargetApi, mgn_client, profile_setting, resolve_region
from ..clock import SYSTEM_CLOCK, Cancellation
from ..engine import LaunchEngine, Progress, Teardown, shared_poller
from .effective import Effective, StackSettings, launched, requested

__all__ = [
        "Session",
    "StackSettings",
    "connection_for",
    "session_for_inputs",
    "session_for_state",
    "session_for_update",
]


def connection_for(where: Effective, stack: StackSettings) -> Connection:
    profile = profile_setting(stack.profile)
    return Connection(
        region=resolve_region(where.region, stack.region),  # none anywhere raises, naming the settings to set
        profile=profile.value,
        profile_source=profile.source,
        endpoint_url=where.endpoint_url,
        role_arn=where.role_arn,
    )


@dataclass(frozen=True)
class Session:
    connection: Connection
    api: MgnApi
    target: TargetApi
    engine: LaunchEngine
    teardown: Teardown
    progress: Progress

    @property
    def where(self) -> str:
        """Where the calls go, as messages name it: the region, and the account when one is given."""
        return where_label(self.connection, self.api.account_id)


def where_label(connection: Connection, account_id: str) -> str:
    return f"{connection.region}{' account ' + account_id if account_id else ''}"


def session_for_inputs(
    inputs: Mapping[str, Any], stack: StackSettings, progress: Progress, cancellation: Cancellation | None = None
) -> Session:
    """For create: where the inputs, the stack config and the environment point now."""
    return _open(requested(inputs, stack), str(inputs.get("account_id") or ""), stack, progress, cancellation)


def session_for_state(
    state: Mapping[str, Any], stack: StackSettings, progress: Progress, cancellation: Cancellation | None = None
) -> Session:
    """For read, update and delete: where the resource was created (its ``effective_*`` outputs)."""
    return _open(launched(state), str(state.get("account_id") or ""), stack, progress, cancellation)


def session_for_update(
    state: Mapping[str, Any],
    inputs: Mapping[str, Any],
    stack: StackSettings,
    progress: Progress,
    cancellation: Cancellation | None = None,
) -> Session:
    """For update: where the resource was created, through the role the inputs name now (diff replaces a resource
    whose new role is in another account, so the role is the only setting an update changes)."""
    where = replace(launched(state), role_arn=str(inputs.get("role_arn") or ""))
    return _open(where, str(inputs.get("account_id") or ""), stack, progress, cancellation)


def _open(
    where: Effective, account_id: str, stack: StackSettings, progress: Progress, cancellation: Cancellation | None
) -> Session:
    connection = connection_for(where, stack)
    client = mgn_client(connection)
    api = MgnApi(client, account_id)
    target = TargetApi(client, LazyEc2Client(connection), account_id)
    poller = shared_poller((connection, account_id), SYSTEM_CLOCK)
    label = where_label(connection, account_id)
    return Session(
        connection=connection,
        api=api,
        target=target,
        engine=LaunchEngine(api, poller, SYSTEM_CLOCK, progress, label, target=target, cancellation=cancellation),
        teardown=Teardown(api, poller, SYSTEM_CLOCK, progress, cancellation),
        progress=progress,
    )
