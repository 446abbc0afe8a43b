"""The bounds on what the emulator accepts: body and file sizes, JSON depth, and timings.

MGN requests are small (the largest, a StartCutover of 200 servers with 50 tags, is about 30 KB), so a body
over :data:`MAX_BODY_BYTES` is refused before it is read. JSON and YAML nested deeper than
:data:`MAX_DEPTH` (MGN's shapes and the state file nest fewer than 10 levels) is refused before anything
walks it recursively. JSON must be UTF-8 holding Unicode text: no other encoding (``json.loads`` would guess
UTF-16 and UTF-32 from bytes) and no lone surrogates, raw or escaped as ``\\ud800``, which no AWS service
accepts and no UTF-8 writer can put back out. Timings must be finite, non-negative and at most a year.
:class:`HttpLimits` bounds how long and how many connections the HTTP layer holds (see :mod:`httpd`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

MAX_BODY_BYTES = 1024 * 1024
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 32
MAX_SECONDS = 365 * 24 * 3600.0

#: A whole request, headers and body, must arrive within this many seconds (counted from its first byte, or
#: from connecting for a connection's first request). MGN's largest request (~30 KB) takes milliseconds even on
#: a slow link; a client trickling bytes (slowloris) holds a thread no longer than this. Not per recv.
REQUEST_SECONDS = 10.0
#: An idle keep-alive connection is closed after this many seconds: longer than any client's pause between
#: polls, short enough that abandoned connections do not pile up (60 s is also AWS load balancers' default).
IDLE_SECONDS = 60.0
#: At most this many connections are open at once, one thread each (~100 KB): far above any real client
#: (botocore pools 10 connections per client; the suite bursts 64), far below memory trouble (3,000 threads
#: took 274 MB). A connection beyond it closes the one waiting longest for its request, else is refused.
MAX_CONNECTIONS = 512


@dataclass(frozen=True)
class HttpLimits:
    """How long and how many connections the HTTP layer holds; the defaults above, smaller in tests."""

    request_seconds: float = REQUEST_SECONDS
    idle_seconds: float = IDLE_SECONDS
    max_connections: int = MAX_CONNECTIONS

    def __post_init__(self) -> None:
        check_seconds(self.request_seconds, "request_seconds")
        check_seconds(self.idle_seconds, "idle_seconds")
        if isinstance(self.max_connections, bool) or not isinstance(self.max_connections, int):
            raise ValueError(f"max_connections must be a whole number, not {self.max_connections!r}")
        if self.max_connections < 1:
            raise ValueError(f"max_connections must be at least 1, not {self.max_connections}")


class TooDeepError(ValueError):
    """Nested deeper than :data:`MAX_DEPTH` (or a structure that contains itself)."""


def check_seconds(value: Any, what: str) -> float:
    """``value`` as a float of seconds; ``ValueError`` naming ``what`` if it is not a finite 0..one year number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{what} must be a number of seconds, not {value!r}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{what} must be a finite, non-negative number of seconds, not {value!r}")
    if value > MAX_SECONDS:
        raise ValueError(f"{what} must be at most {MAX_SECONDS:.0f} seconds (a year), not {value!r}")
    return float(value)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text} is out of range")
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def load_json(data: bytes | str) -> Any:
    """Parse strict UTF-8 JSON (no NaN or Infinity, no out-of-range numbers, no deeper than :data:`MAX_DEPTH`,
    no lone surrogates).

    Raises ``ValueError`` (:class:`TooDeepError` for nesting) with a one-line reason.
    """
    if isinstance(data, bytes):
        if b"\x00" in data:  # never in UTF-8 JSON (a NUL in a string is escaped); in all UTF-16 or -32 JSON
            raise ValueError("not UTF-8 (it holds NUL bytes, as UTF-16 or UTF-32 JSON does)")
        try:
            data = data.decode("utf-8")  # strict, unlike json.loads(bytes): no other encoding, no raw surrogates
        except UnicodeDecodeError as exc:
            raise ValueError(f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    try:
        value = json.loads(data, parse_float=_finite, parse_constant=_no_constant)
    except RecursionError:
        raise TooDeepError(f"JSON nested deeper than {MAX_DEPTH} levels") from None
    check_depth(value, "JSON")
    _check_text(value)
    return value


def _check_text(value: Any) -> None:
    """Refuse lone surrogates (``"\\ud800"``) in ``value``'s strings and keys: they are not Unicode text."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")  # depth already bounded
    except UnicodeEncodeError as exc:
        code = ord(exc.object[exc.start])
        raise ValueError(f"not Unicode text: it holds a lone surrogate (\\u{code:04x}) in a string") from None


def check_depth(value: Any, what: str) -> None:
    """Refuse ``value`` if its containers nest deeper than :data:`MAX_DEPTH` or contain themselves.

    Iterative, and each container is measured once (YAML aliases can share one list many times over).
    """
    heights: dict[int, int] = {}
    open_ids: set[int] = set()
    stack: list[tuple[Any, bool]] = [(value, False)]
    while stack:
        node, children_done = stack.pop()
        if not isinstance(node, (dict, list)) or (not children_done and id(node) in heights):
            continue
        children = [c for c in (node.values() if isinstance(node, dict) else node) if isinstance(c, (dict, list))]
        if children_done:
            open_ids.discard(id(node))
            heights[id(node)] = 1 + max((heights[id(c)] for c in children), default=0)
            if heights[id(node)] > MAX_DEPTH:
                raise TooDeepError(f"{what} nested deeper than {MAX_DEPTH} levels")
            continue
        if id(node) in open_ids:
            raise TooDeepError(f"{what} contains itself")
        open_ids.add(id(node))
        stack.append((node, True))
        for child in children:
            if id(child) in open_ids:
                raise TooDeepError(f"{what} contains itself")
            stack.append((child, False))
