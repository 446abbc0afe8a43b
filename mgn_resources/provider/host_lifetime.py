"""End the SDK's dynamic-provider host when the pulumi engine that started it is gone.

Pulumi starts each plugin in a process group of its own, so when a runner is killed (SIGKILL to the CLI's
group, an out-of-memory kill) the ``python -m pulumi.dynamic`` host lives on: the SDK's host never checks its
engine, and a create waiting on an MGN job would go on polling DescribeJobs for up to ``timeout_seconds`` with
nobody to report to. Go plugins health-check the engine for this reason (``rpcutil.Healthcheck``). On the first
configure() inside the host we start one daemon thread that connects to the engine's address (the host's
first argument) every few seconds and ends the process after two failed connections in a row. Nothing is
lost: the job goes on in MGN and the next ``pulumi up`` adopts it.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
from collections.abc import Callable

from ..clock import SYSTEM_CLOCK
from .host_pool import inside_dynamic_host

CHECK_EVERY_SECONDS = 5.0
MISSES_TO_EXIT = 2

_lock = threading.Lock()
_started = False


def engine_address(argv: list[str]) -> tuple[str, int] | None:
    """The engine's host and port from the host's command line (``python -m pulumi.dynamic 127.0.0.1:PORT``)."""
    if len(argv) < 2:
        return None
    host, _, port = argv[1].rpartition(":")
    if not host or not port.isdigit():
        return None
    return host.strip("[]"), int(port)


def engine_answers(address: tuple[str, int], timeout: float = 2.0) -> bool:
    try:
        with socket.create_connection(address, timeout=timeout):
            return True
    except OSError:
        return False


def watch_engine(
    address: tuple[str, int],
    *,
    answers: Callable[[tuple[str, int]], bool] = engine_answers,
    wait: Callable[[float], object] = SYSTEM_CLOCK.sleep,
    exit_process: Callable[[int], object] = os._exit,
) -> None:
    """Check the engine every few seconds; end the process once it has been gone twice in a row."""
    misses = 0
    while True:
        wait(CHECK_EVERY_SECONDS)
        misses = 0 if answers(address) else misses + 1
        if misses >= MISSES_TO_EXIT:
            try:
                print(
                    f"mgn-cutover: the pulumi engine at {address[0]}:{address[1]} is gone; the provider host exits "
                    "(the next pulumi up adopts any job it was waiting for).",
                    file=sys.stderr,
                    flush=True,
                )
            except OSError:
                pass  # stderr was a pipe to the engine that is gone
            exit_process(1)
            return


def exit_with_engine() -> bool:
    """Inside the dynamic-provider host, start the engine watch once; True if it was started now."""
    global _started
    with _lock:
        if _started or not inside_dynamic_host():
            return False
        address = engine_address(sys.argv)
        if address is None:
            return False
        _started = True
    threading.Thread(target=watch_engine, args=(address,), name="mgn-cutover-engine-watch", daemon=True).start()
    return True
