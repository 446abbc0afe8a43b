"""Plain results of the provider host's calls, as the engine would see them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pulumi.output import Unknown


class HostError(Exception):
    """A gRPC call to the host failed; ``details`` is the host's text (a traceback for provider errors)."""

    def __init__(self, method: str, code: str, details: str) -> None:
        super().__init__(f"{method} failed ({code}): {details}")
        self.method = method
        self.code = code
        self.details = details


@dataclass(frozen=True)
class Failure:
    property: str
    reason: str


@dataclass(frozen=True)
class CheckResult:
    inputs: dict[str, Any]
    failures: list[Failure] = field(default_factory=list)

    @property
    def failed_properties(self) -> list[str]:
        return [failure.property for failure in self.failures]


@dataclass(frozen=True)
class DiffResult:
    changes: str  # "none", "some" or "unknown"
    replaces: list[str]
    stables: list[str]
    delete_before_replace: bool

    @property
    def changed(self) -> bool:
        return self.changes == "some"

    @property
    def replace(self) -> bool:
        return bool(self.replaces)


@dataclass(frozen=True)
class CreateResult:
    id: str
    outs: dict[str, Any]


@dataclass(frozen=True)
class ReadResult:
    id: str
    outs: dict[str, Any]
    inputs: dict[str, Any] | None


def is_unknown(value: Any) -> bool:
    """True for a value the engine does not know yet (a preview)."""
    return isinstance(value, Unknown)
