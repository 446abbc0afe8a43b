"""Loopback plumbing shared by the canned endpoints: a threaded HTTP server on a free port, and a closed port.

    class Handler(QuietHandler):
        def do_POST(self) -> None:
            self.request_body()
            self.reply(200, b"{}", "application/json")

    with LoopbackServer(Handler) as server:
        client = boto3.client(..., endpoint_url=server.url)
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self


def free_port() -> int:
    """A loopback port nothing listens on (bound and released, so a test can point at it or start a server)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that logs nothing, reads the request's body and sends a whole reply in one call."""

    def request_body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("content-length") or 0))

    def reply(self, status: int, payload: bytes, content_type: str, headers: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *_args: Any) -> None:
        pass


class LoopbackServer:
    """A ``ThreadingHTTPServer`` on ``127.0.0.1`` and a free port, served by a daemon thread inside ``with``."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
