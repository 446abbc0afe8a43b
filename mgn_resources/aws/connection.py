"""How to reach MGN: region, profile, role, endpoint. Clients are cached per process, never on a provider."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import boto3
import botocore.session
from botocore.config import Config
from botocore.credentials import AssumeRoleCredentialFetcher, DeferredRefreshableCredentials
from botocore.exceptions import ClientError

from ..errors import ConnectionSettingsError, MgnCutoverError, TransientApiError
from .errors import CONFIG_ERRORS, PROFILE_ENV, Endpoint, profile_error, translate

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
STS_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 3},
    connect_timeout=10,
    read_timeout=30,
    user_agent_extra="mgn-cutover",
)


@dataclass(frozen=True)
class Connection:
    """Everything that selects an MGN endpoint and identity. Holds no secrets."""

    region: str = ""
    profile: str = ""
    endpoint_url: str = ""
    role_arn: str = ""
    profile_source: str = field(default="", compare=False)  # aws:profile or AWS_PROFILE, for messages only


REGION_ENV = ("AWS_REGION", "AWS_DEFAULT_REGION")


@dataclass(frozen=True)
class Sourced:
    """A setting's value and where it came from (``region``, ``aws:region``, ``AWS_REGION``...), for messages."""

    value: str  # "" when nothing sets it
    source: str


def region_setting(explicit: str, stack_region: str) -> Sourced:
    """The one region resolver: the ``region`` input, else ``aws:region``, else AWS_REGION or AWS_DEFAULT_REGION."""
    if explicit:
        return Sourced(explicit, "region")
    if stack_region:
        return Sourced(stack_region, "aws:region")
    for name in REGION_ENV:
        if os.environ.get(name):
            return Sourced(os.environ[name], name)
    return Sourced("", "")


def profile_setting(stack_profile: str) -> Sourced:
    """The AWS profile: ``aws:profile``, else ``AWS_PROFILE``, else none (botocore's default chain)."""
    if stack_profile:
        return Sourced(stack_profile, "aws:profile")
    return Sourced(os.environ.get(PROFILE_ENV, ""), PROFILE_ENV if os.environ.get(PROFILE_ENV) else "")


def resolve_region(explicit: str, stack_region: str) -> str:
    """The region as :func:`region_setting` resolves it; none is a :class:`ConnectionSettingsError`."""
    region = region_setting(explicit, stack_region).value
    if not region:
        raise ConnectionSettingsError(
            "No AWS region is set for MGN: set the region input, `pulumi config set aws:region <region>`, "
            "or AWS_REGION.",
            setting="region",
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
    return _client(connection, "mgn", CLIENT_CONFIG.merge(config), time_fetcher)


_EC2_CLIENTS: dict[Connection, Any] = {}
_EC2_CLIENTS_LOCK = threading.Lock()  # its own: building an EC2 client (~0.3 s) holds up no MGN call


def ec2_client(connection: Connection) -> Any:
    """A boto3 EC2 client with the same identity, region and endpoint (the emulator serves both), shared."""
    with _EC2_CLIENTS_LOCK:
        client = _EC2_CLIENTS.get(connection)
        if client is None:
            client = _client(connection, "ec2", CLIENT_CONFIG, None)
            _EC2_CLIENTS[connection] = client
        return client


class LazyEc2Client:
    """:func:`ec2_client` of ``connection``, built at its first use: loading EC2's model takes ~0.3 s, and a launch
    needs EC2 only after its job (the health check), so the first StartCutover does not wait for it."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def __getattr__(self, name: str) -> Any:
        return getattr(ec2_client(self._connection), name)


_PAGINATED_OPERATION = {"mgn": "describe_jobs", "ec2": "describe_instance_status"}  # one each, to load the model


def _client(
    connection: Connection, service: Literal["mgn", "ec2"], config: Config, time_fetcher: Callable[[], Any] | None
) -> Any:
    """A client of ``service``; a profile botocore cannot find or read is a setting to fix, naming where it is set."""
    try:
        client = _session(connection, time_fetcher).client(
            service, endpoint_url=connection.endpoint_url or None, config=config
        )
    except CONFIG_ERRORS as exc:
        raise profile_error(exc, connection.profile, connection.profile_source) or exc from exc
    # botocore reads a service's paginator model at the client's first get_paginator, with no lock: a round of
    # launches starting together each read it (and each read first lists every service botocore ships). Read once.
    client.can_paginate(_PAGINATED_OPERATION[service])
    return client


def _session(connection: Connection, time_fetcher: Callable[[], Any] | None) -> boto3.Session:
    base = botocore.session.Session(profile=connection.profile or None)
    if connection.role_arn:
        base = _assumed_role_session(base, connection, time_fetcher)
    return boto3.Session(botocore_session=base, region_name=connection.region or None)


def _assumed_role_session(
    base: botocore.session.Session, connection: Connection, time_fetcher: Callable[[], Any] | None
) -> botocore.session.Session:
    """A session whose credentials come from ``connection.role_arn`` and refresh before they expire."""
    role_arn = connection.role_arn
    source = base.get_credentials()
    if source is None:
        raise ConnectionSettingsError(
            f"No AWS credentials to assume {role_arn} with: configure a profile (aws:profile) or AWS_* variables.",
            setting="role_arn",
        )
    sts_endpoint: list[str] = []

    def sts_client(service_name: str, **kwargs: Any) -> Any:
        # MGN's region for STS too (botocore alone reads only AWS_DEFAULT_REGION); no endpoint_url here, so
        # botocore still honours AWS_ENDPOINT_URL_STS.
        client = base.create_client(service_name, region_name=connection.region or None, config=STS_CONFIG, **kwargs)
        sts_endpoint[:] = [str(client.meta.endpoint_url)]
        return client

    fetcher = AssumeRoleCredentialFetcher(
        client_creator=sts_client,
        source_credentials=source,
        role_arn=role_arn,
        extra_args={"RoleSessionName": ROLE_SESSION_NAME},
        # The refreshable credentials below decide when to refresh; a window longer than any role session
        # keeps the fetcher from answering a refresh with its cached (about to expire) response.
        expiry_window_seconds=NEVER_REUSE_CACHED_SECONDS,
    )
    extra: dict[str, Any] = {"time_fetcher": time_fetcher} if time_fetcher else {}

    def fetch() -> dict[str, Any]:
        try:
            return fetcher.fetch_credentials()
        except Exception as exc:  # noqa: BLE001 - reaches the user from inside an MGN call: one of ours
            where = Endpoint(url=sts_endpoint[0] if sts_endpoint else "", region=connection.region)
            raise _role_error(exc, role_arn, where) from exc

    credentials = DeferredRefreshableCredentials(refresh_using=fetch, method="assume-role", **extra)
    assumed = botocore.session.Session(profile=connection.profile or None)
    # botocore has no public setter for refreshable credentials; this is the widely used injection point.
    assumed._credentials = credentials  # type: ignore[attr-defined]
    return assumed


def _role_error(exc: Exception, role_arn: str, sts: Endpoint) -> MgnCutoverError:
    """Assuming the role failed: throttling or an STS outage stays transient; anything else is a setting to fix."""
    translated = translate(exc, "sts:AssumeRole", where=sts)
    if isinstance(translated, TransientApiError):
        return translated
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        reason = f"{error.get('Code', '')}: {error.get('Message', '')}"
    else:
        reason = str(exc)
    return ConnectionSettingsError(
        f"Could not assume role {role_arn} through STS at {sts.url or 'the default endpoint'} ({reason}); check "
        "role_arn, the role's trust policy (the deploying identity needs sts:AssumeRole) and AWS_ENDPOINT_URL_STS.",
        setting="role_arn",
        endpoint=sts.url,
    )
