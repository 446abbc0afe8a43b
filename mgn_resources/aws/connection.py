"""How to reach MGN: region, profile, role, endpoint. Clients are cached per process, never on a provider."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3
import botocore.session
from botocore.config import Config
from botocore.credentials import AssumeRoleCredentialFetcher, DeferredRefreshableCredentials

from ..errors import ConnectionSettingsError

if TYPE_CHECKING:
    from mypy_boto3_mgn import MgnClient

ROLE_SESSION_NAME = "mgn-cutover"
NEVER_REUSE_CACHED_SECONDS = 13 * 3600  # longer than the 12-hour maximum role session
CLIENT_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 5},
    connect_timeout=10,
    read_timeout=60,
    user_agent_extra="mgn-cutover",
)


@dataclass(frozen=True)
class Connection:
    """Everything that selects an MGN endpoint and identity. Holds no secrets."""

    region: str = ""
    profile: str = ""
    endpoint_url: str = ""
    role_arn: str = ""

    def describe(self) -> str:
        where = self.region or "the default region"
        return f"{where}{' via ' + self.endpoint_url if self.endpoint_url else ''}"


def resolve_region(explicit: str, stack_region: str) -> str:
    region = explicit or stack_region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION", "")
    if not region:
        raise ConnectionSettingsError(
            "No AWS region is set for MGN: set the region input, `pulumi config set aws:region <region>`, "
            "or AWS_REGION."
        )
    return region


_CLIENTS: dict[Connection, MgnClient] = {}
_CLIENTS_LOCK = threading.Lock()


def mgn_client(connection: Connection) -> MgnClient:
    """A boto3 MGN client for ``connection``, shared by every call in this process."""
    with _CLIENTS_LOCK:
        client = _CLIENTS.get(connection)
        if client is None:
            client = build_client(connection)
            _CLIENTS[connection] = client
        return client


def build_client(
    connection: Connection, *, config: Config = CLIENT_CONFIG, time_fetcher: Callable[[], Any] | None = None
) -> MgnClient:
    """A new MGN client; ``config`` and ``time_fetcher`` (credential expiry) are there for tests."""
    base = botocore.session.Session(profile=connection.profile or None)
    if connection.role_arn:
        base = _assumed_role_session(base, connection.role_arn, time_fetcher)
    session = boto3.Session(botocore_session=base, region_name=connection.region or None)
    return session.client("mgn", endpoint_url=connection.endpoint_url or None, config=CLIENT_CONFIG.merge(config))


def _assumed_role_session(
    base: botocore.session.Session, role_arn: str, time_fetcher: Callable[[], Any] | None
) -> botocore.session.Session:
    """A session whose credentials come from ``role_arn`` and refresh before they expire."""
    source = base.get_credentials()
    if source is None:
        raise ConnectionSettingsError(
            f"No AWS credentials to assume {role_arn} with: configure a profile (aws:profile) or AWS_* variables."
        )
    fetcher = AssumeRoleCredentialFetcher(
        client_creator=base.create_client,
        source_credentials=source,
        role_arn=role_arn,
        extra_args={"RoleSessionName": ROLE_SESSION_NAME},
        # The refreshable credentials below decide when to refresh; a window longer than any role session
        # keeps the fetcher from answering a refresh with its cached (about to expire) response.
        expiry_window_seconds=NEVER_REUSE_CACHED_SECONDS,
    )
    extra: dict[str, Any] = {"time_fetcher": time_fetcher} if time_fetcher else {}
    credentials = DeferredRefreshableCredentials(
        refresh_using=fetcher.fetch_credentials, method="assume-role", **extra
    )
    assumed = botocore.session.Session()
    # botocore has no public setter for refreshable credentials; this is the widely used injection point.
    assumed._credentials = credentials  # type: ignore[attr-defined]
    return assumed
