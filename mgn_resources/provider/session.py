"""From props and stack config to a live engine: connection, API, shared poller, progress to pulumi.log."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi

from ..aws import Connection, MgnApi, TargetApi, ec2_client, mgn_client, resolve_region
from ..clock import SYSTEM_CLOCK
from ..engine import LaunchEngine, Teardown, shared_poller
from .effective import StackSettings, launched, profile_of

__all__ = ["PulumiProgress", "Session", "StackSettings", "connection_for", "open_session"]


def connection_for(props: Mapping[str, Any], stack: StackSettings) -> Connection:
    """The connection for a resource: where its job was launched (its ``effective_*`` outputs), else its inputs,
    else the stack config, else the environment."""
    where = launched(props, stack)
    return Connection(
        region=where.region or resolve_region("", ""),  # raises, naming the settings to set
        profile=profile_of(stack),
        endpoint_url=where.endpoint_url,
        role_arn=str(props.get("role_arn") or ""),
    )


class PulumiProgress:
    """Engine progress to the engine's log (stderr inside the dynamic-provider host)."""

    def info(self, message: str) -> None:
        pulumi.log.info(message)

    def warn(self, message: str) -> None:
        pulumi.log.warn(message)


@dataclass(frozen=True)
class Session:
    connection: Connection
    api: MgnApi
    target: TargetApi
    engine: LaunchEngine
    teardown: Teardown


def open_session(props: Mapping[str, Any], stack: StackSettings) -> Session:
    connection = connection_for(props, stack)
    account_id = str(props.get("account_id") or "")
    client = mgn_client(connection)
    api = MgnApi(client, account_id)
    target = TargetApi(client, ec2_client(connection), account_id)
    poller = shared_poller((connection, account_id), SYSTEM_CLOCK)
    progress = PulumiProgress()
    where = f"{connection.region}{' account ' + account_id if account_id else ''}"
    return Session(
        connection=connection,
        api=api,
        target=target,
        engine=LaunchEngine(api, poller, SYSTEM_CLOCK, progress, where, target=target),
        teardown=Teardown(api, poller, SYSTEM_CLOCK, progress),
    )
