"""The bounds on what the emulator accepts: body and file sizes, JSON depth, and timings.

MGN requests are small (the largest, a StartCutover of 200 servers with 50 tags, is about 30 KB), so a body
over :data:`MAX_BODY_BYTES` is refused before it is read. JSON and YAML nested deeper than
:data:`MAX_DEPTH` (MGN's shapes and the state file nest fewer than 10 levels) is refused before anything
walks it recursively. Timings must be finite, non-negative and at most a year.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_BODY_BYTES = 1024 * 1024
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 32
MAX_SECONDS = 365 * 24 * 3600.0


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
    """Parse strict JSON (no NaN or Infinity, no out-of-range numbers, no deeper than :data:`MAX_DEPTH`).

    Raises ``ValueError`` (:class:`TooDeepError` for nesting) with a one-line reason.
    """
    try:
        value = json.loads(data, parse_float=_finite, parse_constant=_no_constant)
    except RecursionError:
        raise TooDeepError(f"JSON nested deeper than {MAX_DEPTH} levels") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    check_depth(value, "JSON")
    return value


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
