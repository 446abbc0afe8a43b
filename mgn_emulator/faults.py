"""Fault injection for tests: throttling, server errors, latency, eventual consistency, stuck jobs."""

from __future__ import annotations

import dataclasses
import random
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from mgn_emulator.bounds import check_seconds


@dataclass(frozen=True)
class FaultSettings:
    """Every knob, all off by default.

    ``lose_reply_next`` carries out the next N calls, then answers them 500 (a reply lost after the service
    acted). ``deny_operations`` answer AccessDeniedException (a missing IAM permission); ``uninitialized`` makes
    every operation that the model allows it answer UninitializedAccountException.
    ``*_rate`` draws per call (0.0 to 1.0, 1.0 = every call); ``*_next`` hits the next N calls exactly,
    for deterministic tests. ``operations`` limits throttling, errors and latency to those operations
    (empty = all). ``invisible_seconds`` and ``never_complete`` apply to jobs started while they are set.
    """

    throttle_rate: float = 0.0
    throttle_next: int = 0
    error_rate: float = 0.0
    error_next: int = 0
    latency_seconds: float = 0.0
    invisible_seconds: float = 0.0
    never_complete: bool = False
    retry_after: int = 1
    operations: tuple[str, ...] = ()
    deny_operations: tuple[str, ...] = ()
    uninitialized: bool = False
    lose_reply_next: int = 0

    def __post_init__(self) -> None:
        for name in ("throttle_rate", "error_rate"):
            rate = getattr(self, name)
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"fault {name} must be between 0.0 and 1.0, not {rate!r}")
        for name in ("throttle_next", "error_next", "retry_after", "lose_reply_next"):
            if getattr(self, name) < 0:
                raise ValueError(f"fault {name} must not be negative")
        for name in ("latency_seconds", "invisible_seconds"):
            check_seconds(getattr(self, name), f"fault {name}")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], *, where: str = "faults") -> FaultSettings:
        """Build from a seed/admin mapping; unknown keys and wrong types raise ``ValueError`` naming them."""
        known = {f.name: f for f in dataclasses.fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in values.items():
            if key not in known:
                raise ValueError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(known))})")
            kwargs[key] = _coerce(key, value, where)
        return cls(**kwargs)

    def covers(self, operation: str) -> bool:
        """Whether throttling, errors, latency and lost replies apply to ``operation`` (``operations`` empty: all)."""
        return not self.operations or operation in self.operations

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["operations"] = list(self.operations)
        data["deny_operations"] = list(self.deny_operations)
        return data


_LISTS = ("operations", "deny_operations")


def _coerce(key: str, value: Any, where: str) -> Any:
    default = getattr(FaultSettings, key, None) if key not in _LISTS else ()
    if key in _LISTS:
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"{where}: {key} must be a list of operation names")
        return tuple(value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValueError(f"{where}: {key} must be true or false, not {value!r}")
        return value
    if isinstance(default, int) and not isinstance(default, bool):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{where}: {key} must be an integer, not {value!r}")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{where}: {key} must be a number, not {value!r}")
    return float(value)


class Verdict(StrEnum):
    PASS = "pass"
    THROTTLE = "throttle"
    ERROR = "error"


class Faults:
    """The live fault settings of one emulator; thread-safe; counters of ``*_next`` count down."""

    def __init__(self, settings: FaultSettings | None = None, *, rng: random.Random | None = None) -> None:
        self._lock = threading.Lock()
        self._settings = settings or FaultSettings()
        self._rng = rng or random.Random()

    @property
    def settings(self) -> FaultSettings:
        with self._lock:
            return self._settings

    def replace(self, settings: FaultSettings) -> None:
        with self._lock:
            self._settings = settings

    def applies_to(self, operation: str) -> bool:
        return self.settings.covers(operation)

    def lose_reply(self, operation: str) -> bool:
        """Whether to answer this call, already carried out, with a 500; consumes ``lose_reply_next``."""
        with self._lock:
            s = self._settings
            if s.lose_reply_next <= 0 or not s.covers(operation):
                return False
            self._settings = dataclasses.replace(s, lose_reply_next=s.lose_reply_next - 1)
            return True

    def decide(self, operation: str) -> Verdict:
        """Throttle first, then server error; counters are consumed only by calls they apply to."""
        with self._lock:
            s = self._settings
            if not s.covers(operation):
                return Verdict.PASS
            if s.throttle_next > 0:
                self._settings = dataclasses.replace(s, throttle_next=s.throttle_next - 1)
                return Verdict.THROTTLE
            if s.throttle_rate > 0 and self._rng.random() < s.throttle_rate:
                return Verdict.THROTTLE
            if s.error_next > 0:
                self._settings = dataclasses.replace(s, error_next=s.error_next - 1)
                return Verdict.ERROR
            if s.error_rate > 0 and self._rng.random() < s.error_rate:
                return Verdict.ERROR
            return Verdict.PASS
