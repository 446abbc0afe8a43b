"""The HTTP layer: a standard-library threading HTTP/1.1 server (keep-alive) hardened for hostile clients.

- A request is carried out only once its head (through the blank line) and its whole body have arrived: a
  client that disconnects or half-closes before that gets nothing carried out and no answer.
- A whole request must arrive within :data:`~limits.REQUEST_SECONDS` (one deadline shared by every recv, so
  trickled bytes do not extend it; a late request is answered 408 and closed), an idle keep-alive connection is
  closed after :data:`~limits.IDLE_SECONDS`, and at most :data:`~limits.MAX_CONNECTIONS` connections (one
  thread each) are open: a new one beyond that closes the one waiting longest for its request, so slow clients
  cannot crowd out a good call; if every one is busy answering, the new one is refused (closed).
- A listen backlog of ``SOMAXCONN`` (socketserver's default is 5), so bursts of clients queue, not reset.
- A body larger than :data:`MAX_BODY_BYTES` (or an absurd ``Content-Length``) is answered 413 before it is read;
  what the client still sends is read and dropped (bounded) so it sees the answer rather than a reset.
- Every answer the stdlib would give as HTML (malformed request line, unknown method, oversized headers) is JSON
  with ``x-amzn-ErrorType``, and none is a 5xx: those are the client's fault. A request signed for EC2 that
  fails here, once its headers are parsed, is answered in EC2's XML error form instead.

Deadlines are real socket timeouts, so they read the monotonic clock, not the emulator's injected one.
"""

from __future__ import annotations

import io
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from mgn_emulator.auth import signed_service
from mgn_emulator.bounds import MAX_BODY_BYTES, HttpLimits
from mgn_emulator.ec2_errors import ec2_error_response
from mgn_emulator.exceptions import HttpError, InternalServerError, MgnError
from mgn_emulator.responses import WireRequest, WireResponse, error_response

#: After a 413, read and drop at most this much of the body the client is still sending (and for no longer
#: than the request deadline, nor a pause longer than DRAIN_IDLE_SECONDS).
DRAIN_BYTES = 64 * 1024 * 1024
DRAIN_IDLE_SECONDS = 1.0
#: The stdlib's own bounds on a request or header line and on the number of headers (``http.client``).
MAX_LINE_BYTES = 65536
MAX_HEADERS = 100

#: stdlib ``send_error`` codes -> (status, x-amzn-ErrorType); anything else is a 400.
_PROTOCOL_ERRORS = {
    400: (400, "BadRequestException"),
    414: (414, "RequestURITooLongException"),
    431: (431, "RequestHeaderFieldsTooLargeException"),
    501: (405, "MethodNotAllowedException"),
}
_BLANK_LINES = (b"\r\n", b"\n")


class _DeadlineReader(io.RawIOBase):
    """The connection's input, every recv bounded by one shared deadline (a whole request's, not one per recv)."""

    def __init__(self, connection: socket.socket) -> None:
        self.connection = connection
        self.deadline = float("inf")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request deadline passed")
        self.connection.settimeout(left)
        return self.connection.recv_into(buffer)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: every response carries Content-Length
    default_request_version = "HTTP/1.0"  # so even a malformed request line is answered with a status line
    timeout = None  # deadlines are set per request by _DeadlineReader, not per recv
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stalls
    server: HttpServer

    def setup(self) -> None:
        super().setup()
        self.limits = self.server.limits
        self.rfile.close()  # replaced by a reader that keeps the request deadline
        self._reader = _DeadlineReader(self.connection)
        self._input = io.BufferedReader(self._reader)
        self.rfile = self._input
        self._reader.deadline = time.monotonic() + self.limits.request_seconds  # the first request, from connecting
        self._first = True
        self._parsed = False  # whether this request's headers were parsed (so its signing service is known)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.forget_connection(self.connection)

    # ---- reading a request, whole -----------------------------------------------------------------
    def handle_one_request(self) -> None:
        self._parsed = False
        try:
            if not self._first:  # between requests: wait up to the idle time for the next one to start
                self._reader.deadline = time.monotonic() + self.limits.idle_seconds
            started = bool(self._input.peek(1))
        except (TimeoutError, OSError):
            started = False
        if not started:  # idle too long, or the client closed between requests: nothing to answer
            self.close_connection = True
            return
        if not self._first:
            self._reader.deadline = time.monotonic() + self.limits.request_seconds
        self._first = False
        try:
            self._read_and_serve()
        except TimeoutError:
            self._time_out()

    def _read_and_serve(self) -> None:
        head = self._read_head()
        if head is None:  # disconnected or half-closed before the blank line: nothing is carried out
            self.close_connection = True
            return
        self.raw_requestline, header_lines = head
        if len(self.raw_requestline) > MAX_LINE_BYTES:  # as the stdlib answers it
            self.requestline = self.request_version = self.command = ""
            self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG)
            return
        self.rfile = io.BytesIO(header_lines)  # the stdlib parses the head as it always does, from what arrived
        try:
            parsed = self.parse_request()
        finally:
            self.rfile = self._input
        if not parsed:  # answered already
            return
        self._parsed = True
        method = getattr(self, f"do_{self.command}", None)
        if method is None:
            self.send_error(HTTPStatus.NOT_IMPLEMENTED, f"Unsupported method ({self.command!r})")
            return
        method()

    def _read_head(self) -> tuple[bytes, bytes] | None:
        """The request line and header lines through the blank line; ``None`` if the input ends first.

        A line over the stdlib's length or one header too many ends the head early: ``parse_request`` then
        refuses it (414, 431) as it always has, before the rest arrives.
        """
        request_line = self._input.readline(MAX_LINE_BYTES + 1)
        if len(request_line) > MAX_LINE_BYTES:
            return request_line, b""
        if not request_line.endswith(b"\n"):
            return None
        lines: list[bytes] = []
        while True:
            line = self._input.readline(MAX_LINE_BYTES + 1)
            lines.append(line)
            if len(line) > MAX_LINE_BYTES or len(lines) > MAX_HEADERS:
                return request_line, b"".join(lines)
            if not line.endswith(b"\n"):
                return None
            if line in _BLANK_LINES:
                return request_line, b"".join(lines)

    def _time_out(self) -> None:
        """The request did not arrive whole before its deadline: 408, and the connection closes."""
        self.close_connection = True
        message = f"the request did not arrive whole within {self.limits.request_seconds:g} seconds"
        try:
            if not self._parsed:
                self.requestline = self.request_version = self.command = ""
            self._write(self._error(HttpError(408, "RequestTimeoutException", message)))
        except OSError:
            pass

    # ---- answering -----------------------------------------------------------------------------
    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The stdlib's protocol errors, as JSON (its default is an HTML page)."""
        status, error_code = _PROTOCOL_ERRORS.get(code, (400, "BadRequestException"))
        self.send_error_response(HttpError(status, error_code, message or HTTPStatus(code).phrase))

    def handle_expect_100(self) -> bool:
        """Refuse an oversized body before telling the client to send it."""
        self._parsed = True  # called by parse_request once the headers are in
        problem = self._length_problem()
        if isinstance(problem, HttpError):
            self.send_error_response(problem)
            return False
        return super().handle_expect_100()

    def send_error_response(self, error: HttpError) -> None:
        self.close_connection = True
        self._write(self._error(error))

    def _error(self, error: MgnError) -> WireResponse:
        """``error`` as JSON, or in EC2's XML form for a request whose headers say it is signed for EC2."""
        if self._parsed and signed_service(self.headers.get("Authorization", "")) == "ec2":
            return ec2_error_response(error.status, error.code.removesuffix("Exception"), error.message)
        return error_response(error)

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
        body = self._input.read(problem) if problem else b""
        if len(body) < problem:  # the client hung up or half-closed mid-body: nothing is carried out
            self.close_connection = True
            return
        if not self.server.begin_request(self.connection):  # closed to make room while the body arrived
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
            try:
                response = self.server.dispatch(request)
            except Exception as exc:  # noqa: BLE001 - a bug must still answer in the service's error form
                response = self._error(InternalServerError(f"emulator error: {exc!r}"))
            self._write(response)
        finally:
            self.server.end_request(self.connection)

    def _drain(self) -> None:
        """Read and drop what the client still sends (bounded), so it reads the 413 instead of a reset."""
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_WR)
            end = time.monotonic() + self.limits.request_seconds
            left = DRAIN_BYTES
            while left > 0 and (wait := min(DRAIN_IDLE_SECONDS, end - time.monotonic())) > 0:
                self.connection.settimeout(wait)
                chunk = self.connection.recv(min(left, 65536))
                if not chunk:
                    break
                left -= len(chunk)
        except OSError:
            pass

    def _write(self, response: WireResponse) -> None:
        self.connection.settimeout(self.limits.request_seconds)  # a client that does not read is let go too
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if "x-amzn-RequestId" not in response.headers:
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

    def __init__(
        self,
        address: tuple[str, int],
        dispatch: Callable[[WireRequest], WireResponse],
        limits: HttpLimits | None = None,
    ) -> None:
        self.dispatch = dispatch
        self.limits = limits or HttpLimits()
        self.connections = 0
        self.refused = 0  # connections closed at once, or closed to make room, because of MAX_CONNECTIONS
        self._count_lock = threading.Lock()
        self._open: dict[socket.socket, bool] = {}  # open connection -> busy answering; least recently active first
        if ":" in address[0]:  # an IPv6 literal such as ::1 (the class default, AF_INET, cannot bind it)
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    @property
    def open_connections(self) -> int:
        with self._count_lock:
            return len(self._open)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Hand the connection to a thread of its own, within :attr:`HttpLimits.max_connections`."""
        with self._count_lock:
            if len(self._open) >= self.limits.max_connections and not self._close_longest_waiting():
                self.refused += 1
                admitted = False
            else:
                self.connections += 1
                self._open[request] = False
                admitted = True
        if admitted:
            super().process_request(request, client_address)
        else:
            self.shutdown_request(request)

    def _close_longest_waiting(self) -> bool:
        """Close the connection waiting longest for (the rest of) its request; under the lock."""
        waiting = next((c for c, busy in self._open.items() if not busy), None)
        if waiting is None:
            return False
        del self._open[waiting]  # its thread reads end-of-input, carries nothing out and ends
        self.refused += 1
        try:
            waiting.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        return True

    def begin_request(self, connection: socket.socket) -> bool:
        """Mark a connection busy with a whole request; False if it was closed to make room meanwhile."""
        with self._count_lock:
            if connection not in self._open:
                return False
            self._open[connection] = True
            return True

    def end_request(self, connection: socket.socket) -> None:
        """The answer is out: the connection waits again, as the most recently active."""
        with self._count_lock:
            if connection in self._open:
                del self._open[connection]
                self._open[connection] = False

    def forget_connection(self, connection: socket.socket) -> None:
        with self._count_lock:
            self._open.pop(connection, None)

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
