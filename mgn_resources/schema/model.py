"""What a row of the input schema says, and a resource's view of the rows it takes."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .rules import Rule
from .types import InputType


class Change(StrEnum):
    """What changing an input does to a resource that exists: replace it, or update it in place."""

    REPLACE = "replace"
    UPDATE = "update"


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()  # the ``default`` of an input that must be given


@dataclass(frozen=True, kw_only=True)
class Input:
    """One input of one or more resources: they take it alike (a resource that differs has a row of its own)."""

    name: str
    type: InputType
    resources: tuple[str, ...]
    change: Change
    rule: Rule
    doc: str  # one line: what it does (Markdown: `code`)
    default: Any = None  # REQUIRED; None: unset unless given; else the value check fills in
    unset: str = ""  # for the docs: what an unset (defaultless) input means, e.g. "`aws:region`"
    unordered: bool = False  # a list whose order alone is no change
    # The inputs that may be given instead of this one (check: exactly one of them all); this one is always an output,
    # the others resolve to it at create.
    alternatives: tuple[str, ...] = ()

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    @property
    def has_default(self) -> bool:
        return not self.required and self.default is not None


@dataclass(frozen=True)
class ResourceSchema:
    """The inputs of one resource type, in table order."""

    name: str  # the resource class, e.g. "Cutover"
    inputs: tuple[Input, ...]

    @classmethod
    def of(cls, name: str, table: tuple[Input, ...]) -> ResourceSchema:
        rows = tuple(row for row in table if name in row.resources)
        names = [row.name for row in rows]
        if len(set(names)) != len(names):
            raise ValueError(f"{name} takes an input twice: {sorted({n for n in names if names.count(n) > 1})}")
        return cls(name, rows)

    def __getitem__(self, name: str) -> Input:
        return next(row for row in self.inputs if row.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(row.name for row in self.inputs)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(row.name for row in self.inputs if row.required)

    @property
    def alternatives(self) -> tuple[tuple[str, ...], ...]:
        """Each set of inputs of which exactly one is given: the row that has alternatives first, then those."""
        return tuple(
            (row.name, *(a for a in row.alternatives if a in self.names)) for row in self.inputs if row.alternatives
        )

    @property
    def defaults(self) -> dict[str, Any]:
        return {row.name: row.default for row in self.inputs if row.has_default}

    @property
    def replacing(self) -> tuple[str, ...]:
        return tuple(row.name for row in self.inputs if row.change is Change.REPLACE)

    @property
    def updatable(self) -> tuple[str, ...]:
        return tuple(row.name for row in self.inputs if row.change is Change.UPDATE)

    def with_defaults(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """``props`` with every defaulted input filled in where it is missing or None."""
        given = {k: v for k, v in props.items() if v is not None}
        return {**copy.deepcopy(self.defaults), **given}
