"""Helpers for tests that drive the emulator: a manual clock, server IDs, seeds and boto3 clients.

Importing this module imports neither boto3 nor botocore's signer (the emulator itself reads only botocore's
model): the client helpers import them when they are called, from the test or tool that calls them.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from mgn_resources.emulator.entities import LifeCycleState

if TYPE_CHECKING:
    from mypy_boto3_mgn import MgnClient

#: Pretend credentials: the emulator wants a SigV4 header but does not check the signature.
TEST_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


class ManualClock:
    """A :class:`mgn_resources.clock.Clock` that moves only when told (``sleep`` advances it)."""

    def __init__(self, start: datetime | None = None, *, monotonic_start: float = 1000.0) -> None:
        self._lock = threading.Lock()
        self._now = start or datetime(2026, 11, 28, 2, 0, 0, tzinfo=UTC)
        self._mono = monotonic_start

    def monotonic(self) -> float:
        with self._lock:
            return self._mono

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        if seconds > 0:
            with self._lock:
                self._now += timedelta(seconds=seconds)
                self._mono += seconds


def server_id(number: int) -> str:
    """A well-formed source server ID: ``server_id(1) == "s-00000000000000001"``."""
    return f"s-{number:017d}"


def server_entry(
    number_or_id: int | str,
    *,
    state: LifeCycleState | str = LifeCycleState.READY_FOR_CUTOVER,
    hostname: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    sid = server_id(number_or_id) if isinstance(number_or_id, int) else number_or_id
    state_value = state.value if isinstance(state, LifeCycleState) else state
    return {"id": sid, "hostname": hostname or f"host-{sid[-4:]}", "state": state_value, **extra}


def make_seed(servers: Iterable[dict[str, Any] | int], **top: Any) -> dict[str, Any]:
    """A seed mapping: ``make_seed([1, 2, server_entry(3, launch="fail")], launch_seconds=0.3)``."""
    entries = [server_entry(s) if isinstance(s, int) else s for s in servers]
    return {"servers": entries, **top}


def mgn_client(url: str, *, region: str = "us-east-1", attempts: int = 1, **config: Any) -> MgnClient:
    """A real boto3 ``mgn`` client for the emulator at ``url``.

    Standard retry mode with ``attempts`` attempts in total (botocore's ``total_max_attempts``; note that its
    ``max_attempts`` key counts retries, so ``max_attempts: 1`` would mean two attempts).
    """
    import boto3
    from botocore.config import Config

    retries = config.pop("retries", {"mode": "standard", "total_max_attempts": attempts})
    return boto3.client(
        "mgn",
        endpoint_url=url,
        region_name=region,
        config=Config(retries=retries, **config),
        aws_access_key_id=TEST_CREDENTIALS["aws_access_key_id"],
        aws_secret_access_key=TEST_CREDENTIALS["aws_secret_access_key"],
    )


def signed_headers(
    url: str,
    method: str = "POST",
    body: bytes = b"",
    *,
    region: str = "us-east-1",
    headers: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The headers of a SigV4-signed MGN request (``Authorization`` among them), as botocore signs them."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(method=method, url=url, data=body, headers=dict(headers or {}))
    credentials = Credentials(TEST_CREDENTIALS["aws_access_key_id"], TEST_CREDENTIALS["aws_secret_access_key"])
    SigV4Auth(credentials, "mgn", region).add_auth(request)
    return dict(request.headers.items())


def admin_call(url: str, path: str, method: str = "GET", payload: Any = None) -> tuple[int, Any]:
    """Call an admin route (``/_emulator/<path>``) as a local tool does; JSON in (writes say so), JSON out."""
    data = json.dumps(payload).encode() if payload is not None else None
    headers = {} if method in ("GET", "HEAD") else {"Content-Type": "application/json"}
    request = urllib.request.Request(f"{url}/_emulator/{path}", data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return int(error.code), json.loads(error.read())
