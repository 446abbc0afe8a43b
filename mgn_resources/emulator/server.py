"""The HTTP server (standard library threading server, HTTP/1.1 keep-alive) and :class:`EmulatorServer`."""

from __future__ import annotations

import os
import random
import socket
import sys
import threading
from collections.abc import Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from mgn_resources.clock import SYSTEM_CLOCK, Clock
from mgn_resources.emulator.admin import PREFIX, AdminRoutes
from mgn_resources.emulator.calls import CallLog, CallRecord
from mgn_resources.emulator.faults import Faults, FaultSettings
from mgn_resources.emulator.models import MgnBackend
from mgn_resources.emulator.persistence import StateFile
from mgn_resources.emulator.responses import MgnResponses, WireRequest, WireResponse, json_response
from mgn_resources.emulator.seed import load_seed, parse_server

DEFAULT_LAUNCH_SECONDS = 2.0


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: every response carries Content-Length
    timeout = 120  # an idle keep-alive connection is closed after this many seconds
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stalls
    server: _HttpServer

    def setup(self) -> None:
        super().setup()
        self.server.note_connection(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.forget_connection(self.connection)

    def _serve(self) -> None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            problem = {"message": "chunked request bodies are not supported", "code": "LengthRequired"}
            self._write(json_response(411, problem))
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            self._write(json_response(400, {"message": "bad Content-Length", "code": "BadRequest"}))
            return
        body = self.rfile.read(length) if length else b""
        split = urlsplit(self.path)
        request = WireRequest(
            method=self.command,
            path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            remote_addr=str(self.client_address[0]),
        )
        self._write(self.server.dispatch(request))

    def _write(self, response: WireResponse) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("x-amzn-RequestId", os.urandom(16).hex())
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = do_HEAD = _serve

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Quiet: the call log is the record of requests."""


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], emulator: EmulatorServer) -> None:
        self.emulator = emulator
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

    def dispatch(self, request: WireRequest) -> WireResponse:
        if request.path.startswith(PREFIX):
            return self.emulator.admin.handle(request)
        return self.emulator.responses.handle(request)


class EmulatorServer:
    """Runs the emulator on ``host:port`` (0 = a free port) in a background thread.

    ``with EmulatorServer(seed=..., launch_seconds=0.4) as emu: boto3.client("mgn", endpoint_url=emu.url)``.
    """

    def __init__(
        self,
        seed: str | os.PathLike[str] | Mapping[str, Any] | None = None,
        *,
        launch_seconds: float | None = None,
        post_launch_seconds: float | None = None,
        state_file: str | os.PathLike[str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Clock = SYSTEM_CLOCK,
        faults: FaultSettings | None = None,
        rng: random.Random | None = None,
    ) -> None:
        loaded = load_seed(seed)
        launch = launch_seconds if launch_seconds is not None else loaded.launch_seconds
        post = post_launch_seconds if post_launch_seconds is not None else loaded.post_launch_seconds
        self.clock = clock
        self.faults = Faults(faults or loaded.faults, rng=rng)
        self.backend = MgnBackend(
            clock,
            faults=self.faults,
            launch_seconds=DEFAULT_LAUNCH_SECONDS if launch is None else launch,
            post_launch_seconds=post,
            rng=rng,
        )
        self.call_log = CallLog()
        self.state = StateFile(state_file) if state_file is not None else None
        stored = self.state.load() if self.state else None
        if stored is not None:
            self.backend.load(*stored)
        present = {s.server_id for s in self.backend.servers()}
        for spec in loaded.servers:
            if spec.server_id not in present:  # a state file wins over the seed for servers it holds
                self.backend.add_server(spec)
        self.responses = MgnResponses(self.backend, self.faults, self.call_log, clock, on_change=self.save)
        self.admin = AdminRoutes(self.backend, self.faults, self.call_log, on_change=self.save)
        self._address = (host, port)
        self._http: _HttpServer | None = None
        self._thread: threading.Thread | None = None
        self.save()

    # ---- lifecycle -----------------------------------------------------------------------------
    def start(self) -> EmulatorServer:
        self._http = _HttpServer(self._address, self)
        self._thread = threading.Thread(target=self._http.serve_forever, args=(0.05,), name="mgn-emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http.close_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.save()

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._http is None:
            raise RuntimeError("the emulator is not running")
        return int(self._http.server_address[1])

    @property
    def url(self) -> str:
        host = self._address[0]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}"

    @property
    def connection_count(self) -> int:
        """TCP connections accepted so far (keep-alive reuses one per client thread)."""
        return self._http.connections if self._http else 0

    # ---- test controls -------------------------------------------------------------------------
    def calls(self) -> list[CallRecord]:
        return self.call_log.records()

    def call_count(self, operation: str | None = None) -> int:
        return self.call_log.count(operation)

    def clear_calls(self) -> None:
        self.call_log.clear()

    def set_faults(self, **settings: Any) -> FaultSettings:
        """Replace every fault knob (unnamed knobs go back to off); see :class:`FaultSettings`."""
        if "operations" in settings and settings["operations"] is not None:
            settings["operations"] = list(settings["operations"])
        new = FaultSettings.from_mapping(settings, where="set_faults")
        self.faults.replace(new)
        return new

    def add_server(
        self,
        server_id: str,
        *,
        hostname: str | None = None,
        state: str = "READY_FOR_CUTOVER",
        launch: str = "ok",
        post_launch_actions: Sequence[Mapping[str, Any]] = (),
        **extra: Any,
    ) -> None:
        entry: dict[str, Any] = {"id": server_id, "hostname": hostname or server_id, "state": state, "launch": launch}
        entry["post_launch_actions"] = [dict(a) for a in post_launch_actions]
        entry.update(extra)
        self.backend.add_server(parse_server(entry, where="add_server"))
        self.save()

    def save(self) -> None:
        """Write the state file (if any) when the backend changed since the last write."""
        if self.state is None:
            return
        with self.backend.lock:
            servers = self.backend.servers()
            jobs = self.backend.jobs()
            revision = self.backend.revision
        self.state.save(revision, servers, jobs)
