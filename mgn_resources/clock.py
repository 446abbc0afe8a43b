"""Injected time: library code never calls ``time.sleep`` or ``time.time`` directly.

A wait may also be cancelled (the plugin's Cancel: Ctrl-C in the pulumi CLI): a ``Cancellation`` given to the clock's
``sleep`` cuts the sleep short on the real clock, so the wait sees the cancel at once, not at its next poll.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Protocol


class Cancellation:
    """Set once, from any thread (the plugin's Cancel RPC), and never unset: every wait given it ends promptly."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        """Block up to ``seconds`` (real time) or until cancelled; whether it is cancelled."""
        return self._event.wait(max(seconds, 0.0))


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def now(self) -> datetime: ...

    def sleep(self, seconds: float, cancellation: Cancellation | None = None) -> None:
        """Let ``seconds`` pass, or less once ``cancellation`` is cancelled (a test clock may just move on)."""
        ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now(UTC)

    def sleep(self, seconds: float, cancellation: Cancellation | None = None) -> None:
        if cancellation is not None:
            cancellation.wait(seconds)
        elif seconds > 0:
            time.sleep(seconds)


SYSTEM_CLOCK = SystemClock()


def iso8601(moment: datetime) -> str:
    """MGN's date-time format: ``2026-11-28T02:08:41.123Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_iso8601(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
