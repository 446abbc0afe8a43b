"""End a provider process (either face's) once the pulumi engine that started it is gone.

Pulumi starts each plugin in a process group of its own, so when a runner is killed (SIGKILL to the CLI's group, an
out-of-memory kill) the provider process lives on: a create waiting on an MGN job would go on polling DescribeJobs
for up to ``timeout_seconds`` with nobody to report to. Go plugins health-check the engine for this reason
(``rpcutil.Healthcheck``). ``watch_engine`` connects to the engine's address every few seconds and ends the process
after two failed connections in a row. Nothing is lost: the job goes on in MGN and the next ``pulumi up`` adopts it.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Callable

from ..clock import SYSTEM_CLOCK

CHECK_EVERY_SECONDS = 5.0
MISSES_TO_EXIT = 2

Address = tuple[str, int]


def parse_address(text: str) -> Address | None:
    """The engine's host and port from ``127.0.0.1:PORT`` or ``[::1]:PORT`` (None if it is neither)."""
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        return None
    return host.strip("[]"), int(port)


def engine_answers(address: Address, timeout: float = 2.0) -> bool:
    try:
        with socket.create_connection(address, timeout=timeout):
            return True
    except OSError:
        return False


def watch_engine(
    address: Address,
    who: str,
    *,
    answers: Callable[[Address], bool] = engine_answers,
    wait: Callable[[float], object] = SYSTEM_CLOCK.sleep,
    exit_process: Callable[[int], object] = os._exit,
) -> None:
    """Check the engine every few seconds; end the process (``who``: what it is) once it has been gone twice in a
    row."""
    misses = 0
    while True:
        wait(CHECK_EVERY_SECONDS)
        misses = 0 if answers(address) else misses + 1
        if misses >= MISSES_TO_EXIT:
            try:
                print(
                    f"mgn-cutover: the pulumi engine at {address[0]}:{address[1]} is gone; the {who} exits "
                    "(the next pulumi up adopts any job it was waiting for).",
                    file=sys.stderr,
                    flush=True,
                )
            except OSError:
                pass  # stderr was a pipe to the engine that is gone
            exit_process(1)
            return
