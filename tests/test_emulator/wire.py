"""Raw HTTP for the emulator tests: bytes on a socket, so requests no well-behaved client would send can be sent."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mgn_resources.emulator.testing import signed_headers

ROOT = Path(__file__).resolve().parents[2]


def cli_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the emulator's command line to its end (for the ways it refuses to start)."""
    return subprocess.run(
        [sys.executable, "-m", "mgn_resources.emulator", *args],
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
