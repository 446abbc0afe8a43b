"""Helpers for tests that drive the emulator (``mgn_emulator``): a manual clock, server IDs, seeds, boto3 clients,
the admin routes, and raw HTTP, so that requests no well-behaved client would send can be sent."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from mgn_emulator.models import LifeCycleState

if TYPE_CHECKING:
    from mypy_boto3_mgn import MgnClient

ROOT = Path(__file__).resolve().parents[2]

#: Pretend credentials: the emulator wants a SigV4 header but does not check the signature.
TEST_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


class ManualClock:
    """A clock (the library's ``Clock``, the emulator's) that moves only when told (``sleep`` advances it)."""

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

    def sleep(self, seconds: float, cancellation: object = None) -> None:
        self.advance(seconds)  # all of it: a cancellation ends the wait that slept, at its next look

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
    retries = config.pop("retries", {"mode": "standard", "total_max_attempts": attempts})
    return boto3.client(
        "mgn",
        endpoint_url=url,
        region_name=region,
        config=Config(retries=retries, **config),
        aws_access_key_id=TEST_CREDENTIALS["aws_access_key_id"],
        aws_secret_access_key=TEST_CREDENTIALS["aws_secret_access_key"],
    )


def jobs_by_server(url: str) -> dict[str, list[dict[str, Any]]]:
    """Source server ID -> the jobs (DescribeJobs items) the server took part in, on the emulator at ``url``."""
    found: dict[str, list[dict[str, Any]]] = {}
    for job in mgn_client(url).describe_jobs(filters={})["items"]:
        for server in job["participatingServers"]:
            found.setdefault(server["sourceServerID"], []).append(job)
    return found


def signed_headers(
    url: str,
    method: str = "POST",
    body: bytes = b"",
    *,
    region: str = "us-east-1",
    headers: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The headers of a SigV4-signed MGN request (``Authorization`` among them), as botocore signs them."""
    request = AWSRequest(method=method, url=url, data=body, headers=dict(headers or {}))
    credentials = Credentials(TEST_CREDENTIALS["aws_access_key_id"], TEST_CREDENTIALS["aws_secret_access_key"])
    SigV4Auth(credentials, "mgn", region).add_auth(request)
    return dict(request.headers.items())


def lifecycle_state(mgn: Any, server_id: str) -> str:
    servers = mgn.describe_source_servers(filters={"sourceServerIDs": [server_id]})["items"]
    return str(servers[0]["lifeCycle"]["state"])


def mutating_calls(emu: Any) -> list[str]:
    """The operations the emulator saw that could change something (anything but Describe*/List*)."""
    return [c.operation for c in emu.calls() if not c.operation.startswith(("Describe", "List"))]


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


# ---- raw HTTP: the command line, and bytes on a socket ----
def cli_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the emulator's command line to its end (for the ways it refuses to start)."""
    return subprocess.run(
        [sys.executable, "-m", "mgn_emulator", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        env=cli_env(),
    )


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def error_type(self) -> str:
        return self.headers.get("x-amzn-errortype", "")


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def exchange(port: int, data: bytes, *, timeout: float = 10.0, head: bool = False) -> Reply:
    """Send ``data`` as it is and read one HTTP response."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        response = http.client.HTTPResponse(sock, method="HEAD" if head else "GET")
        response.begin()
        body = response.read()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, body)


def request_bytes(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def signed(url: str, path: str, body: bytes = b"{}", *, region: str = "us-east-1", close: bool = True) -> bytes:
    """A SigV4-signed POST of ``body`` to ``path`` (the bytes of it)."""
    headers = signed_headers(f"{url}{path}", "POST", body, region=region, headers={"Content-Type": "application/json"})
    headers = {"Host": f"127.0.0.1:{port_of(url)}", **headers, "Content-Length": str(len(body))}
    if close:
        headers["Connection"] = "close"
    return request_bytes("POST", path, headers, body)


def assert_json_error(reply: Reply) -> None:
    """An error answer as AWS gives it: JSON, ``x-amzn-ErrorType``, a message; and not a 5xx (the client erred)."""
    assert 400 <= reply.status < 500, (reply.status, reply.body[:200])
    assert reply.headers.get("content-type") == "application/json", reply.headers
    assert reply.error_type, reply.headers
    assert isinstance(reply.json()["message"], str)
