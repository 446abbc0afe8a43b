"""The plugin's progress: to the engine's log (the Engine service's ``Log``), with the resource's URN, so the CLI shows
each line under its resource; to stderr when no engine answers (a test, a plugin started by hand).

The engine's address is the plugin's first argument; one channel per process serves every resource's lines, from the
worker threads that run the lifecycle calls.
"""

from __future__ import annotations

import sys
import threading
from functools import cache
from typing import Any

import grpc
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc

from .text import plugin_text

LOG_TIMEOUT_SECONDS = 10.0


class EngineLog:
    """The engine's ``Log`` RPC at ``address`` (``127.0.0.1:PORT``), connected on first use."""

    def __init__(self, address: str) -> None:
        self.address = address
        self._lock = threading.Lock()
        self._stub: Any = None

    def log(self, severity: engine_pb2.LogSeverity.ValueType, message: str, urn: str) -> bool:
        """Send one line; False if the engine did not take it."""
        try:
            request = engine_pb2.LogRequest(severity=severity, message=message, urn=urn)
            self._engine().Log(request, timeout=LOG_TIMEOUT_SECONDS)
            return True
        except (grpc.RpcError, ValueError):  # ValueError: a closed channel
            return False

    def _engine(self) -> Any:
        with self._lock:
            if self._stub is None:
                channel = grpc.insecure_channel(self.address)
                self._stub = engine_pb2_grpc.EngineStub(channel)
            return self._stub


@cache
def engine_log(address: str) -> EngineLog:
    """The process's one connection to the engine at ``address``."""
    return EngineLog(address)


class EngineProgress:
    """The engine's ``Progress`` for one resource (``urn``); stderr when there is no engine or it refuses a line."""

    def __init__(self, urn: str, engine: EngineLog | None) -> None:
        self.urn = urn
        self.engine = engine

    def info(self, message: str) -> None:
        self._log(engine_pb2.INFO, "info", message)

    def warn(self, message: str) -> None:
        self._log(engine_pb2.WARNING, "warning", message)

    def _log(self, severity: engine_pb2.LogSeverity.ValueType, label: str, message: str) -> None:
        message = plugin_text(message)  # the names as this face's users write them
        if self.engine is not None and self.engine.log(severity, message, self.urn):
            return
        try:
            print(f"{label}: {message}", file=sys.stderr, flush=True)
        except OSError:
            pass  # stderr was a pipe to an engine that is gone
