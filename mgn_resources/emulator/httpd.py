"""The HTTP layer: a standard-library threading HTTP/1.1 server (keep-alive) hardened for hostile clients.

- A listen backlog of ``SOMAXCONN`` (socketserver's default is 5), so bursts of clients queue, not reset.
- A body larger than :data:`MAX_BODY_BYTES` (or an absurd ``Content-Length``) is answered 413 before it is read;
  what the client still sends is read and dropped (bounded) so it sees the answer rather than a reset.
- Every answer the stdlib would give as HTML (malformed request line, unknown method, oversized headers) is JSON
  with ``x-amzn-ErrorType``, and none is a 5xx: those are the client's fault.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from mgn_resources.emulator.exceptions import HttpError, InternalServerError
from mgn_resources.emulator.limits import MAX_BODY_BYTES
from mgn_resources.emulator.responses import WireRequest, WireResponse, error_response

#: After a 413, read and drop at most this much of the body the client is still sending.
DRAIN_BYTES = 64 * 1024 * 1024
DRAIN_IDLE_SECONDS = 1.0

#: stdlib ``send_error`` codes -> (status, x-amzn-ErrorType); anything else is a 400.
_PROTOCOL_ERRORS = {
    400: (400, "BadRequestException"),
    414: (414, "RequestURITooLongException"),
    431: (431, "RequestHeaderFieldsTooLargeException"),
    501: (405, "MethodNotAllowedException"),
}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: every response carries Content-Length
    default_request_version = "HTTP/1.0"  # so even a malformed request line is answered with a status line
    timeout = 120  # an idle keep-alive connection is closed after this many seconds
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stalls
    server: HttpServer

    def setup(self) -> None:
        super().setup()
        self.server.note_connection(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.forget_connection(self.connection)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The stdlib's protocol errors, as JSON (its default is an HTML page)."""
        status, error_code = _PROTOCOL_ERRORS.get(code, (400, "BadRequestException"))
        self.close_connection = True
        self._write(error_response(HttpError(status, error_code, message or HTTPStatus(code).phrase)))

    def handle_expect_100(self) -> bool:
        """Refuse an oversized body before telling the client to send it."""
        problem = self._length_problem()
        if isinstance(problem, HttpError):
            self.send_error_response(problem)
            return False
        return super().handle_expect_100()

    def send_error_response(self, error: HttpError) -> None:
        self.close_connection = True
        self._write(error_response(error))

    def _length_problem(self) -> int | HttpError:
        """The declared body length, or the error that refuses it."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return HttpError(411, "LengthRequiredException", "chunked request bodies are not supported")
        declared = {v.strip() for v in self.headers.get_all("Content-Length") or []}
        if len(declared) > 1:
            return HttpError(400, "BadRequestException", "conflicting Content-Length headers")
        text = declared.pop() if declared else "0"
        if not text.isdigit():
            return HttpError(400, "BadRequestException", f"Content-Length {text[:40]!r} is not a number of bytes")
        if len(text) > 18 or int(text) > MAX_BODY_BYTES:
            message = f"request body of {text[:40]} bytes is over the limit of {MAX_BODY_BYTES} bytes"
            return HttpError(413, "RequestEntityTooLargeException", message)
        return int(text)

    def _serve(self) -> None:
        problem = self._length_problem()
        if isinstance(problem, HttpError):
            self.send_error_response(problem)
            if problem.status == 413:
                self._drain()
            return
        body = self.rfile.read(problem) if problem else b""
        if len(body) < problem:  # the client hung up mid-body: nobody to answer
            self.close_connection = True
            return
        split = urlsplit(self.path)
        request = WireRequest(
            method=self.command,
            path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            remote_addr=str(self.client_address[0]),
        )
        try:
            response = self.server.dispatch(request)
        except Exception as exc:  # noqa: BLE001 - a bug must still answer JSON
            response = error_response(InternalServerError(f"emulator error: {exc!r}"))
        self._write(response)

    def _drain(self) -> None:
        """Read and drop what the client still sends (bounded), so it reads the 413 instead of a reset."""
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(DRAIN_IDLE_SECONDS)
            left = DRAIN_BYTES
            while left > 0 and (chunk := self.connection.recv(min(left, 65536))):
                left -= len(chunk)
        except OSError:
            pass

    def _write(self, response: WireResponse) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("x-amzn-RequestId", os.urandom(16).hex())
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = do_HEAD = _serve

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Quiet: the call log is the record of requests."""


class HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = socket.SOMAXCONN  # the kernel caps it at net.core.somaxconn

    def __init__(self, address: tuple[str, int], dispatch: Callable[[WireRequest], WireResponse]) -> None:
        self.dispatch = dispatch
        self.connections = 0
        self._count_lock = threading.Lock()
        self._open: set[socket.socket] = set()
        if ":" in address[0]:  # an IPv6 literal such as ::1 (the class default, AF_INET, cannot bind it)
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def note_connection(self, connection: socket.socket) -> None:
        with self._count_lock:
            self.connections += 1
            self._open.add(connection)

    def forget_connection(self, connection: socket.socket) -> None:
        with self._count_lock:
            self._open.discard(connection)

    def close_connections(self) -> None:
        """Cut every open (keep-alive) connection, as a stopped service would."""
        with self._count_lock:
            connections = list(self._open)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up mid-answer is not an emulator error; anything else is printed."""
        error = sys.exc_info()[1]
        if not isinstance(error, (BrokenPipeError, ConnectionResetError, TimeoutError)):
            super().handle_error(request, client_address)
