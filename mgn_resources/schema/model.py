"""What a row of the input schema says, and a resource's view of the rows it takes."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class Variant:
    """How one resource differs for an input it shares: its own doc, its own rule."""

    doc: str = ""
    rule: Rule | None = None


@dataclass(frozen=True)
class Input:
    """One input: its name, type, default, which resources take it, what a change does, its rule, its doc."""

    name: str
    type: InputType
    resources: tuple[str, ...]
    change: Change
    rule: Rule
    doc: str  # one line: what it does (Markdown: `code`)
    default: Any = None  # REQUIRED; None: unset unless given; else the value check fills in
    unset: str = ""  # for the docs: what an unset (defaultless) input means, e.g. "`aws:region`"
    engine: bool = False  # a field of the engine's LaunchSpec
    unordered: bool = False  # a list whose order alone is no change
    variants: Mapping[str, Variant] = field(default_factory=dict)

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    @property
    def has_default(self) -> bool:
        return not self.required and self.default is not None

    def doc_for(self, resource: str) -> str:
        variant = self.variants.get(resource)
        return variant.doc if variant and variant.doc else self.doc

    def rule_for(self, resource: str) -> Rule:
        variant = self.variants.get(resource)
        return variant.rule if variant and variant.rule else self.rule


@dataclass(frozen=True)
class ResourceSchema:
    """The inputs of one resource type, in table order."""

    name: str  # the resource class, e.g. "Cutover"
    inputs: tuple[Input, ...]

    @classmethod
    def of(cls, name: str, table: tuple[Input, ...]) -> ResourceSchema:
        return cls(name, tuple(row for row in table if name in row.resources))

    def __getitem__(self, name: str) -> Input:
        return next(row for row in self.inputs if row.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(row.name for row in self.inputs)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(row.name for row in self.inputs if row.required)

    @property
    def defaults(self) -> dict[str, Any]:
        return {row.name: row.default for row in self.inputs if row.has_default}

    @property
    def replacing(self) -> tuple[str, ...]:
        return tuple(row.name for row in self.inputs if row.change is Change.REPLACE)

    @property
    def updatable(self) -> tuple[str, ...]:
        return tuple(row.name for row in self.inputs if row.change is Change.UPDATE)

    def rules(self) -> dict[str, Rule]:
        return {row.name: row.rule_for(self.name) for row in self.inputs}

    def with_defaults(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """``props`` with every defaulted input filled in where it is missing or None."""
        given = {k: v for k, v in props.items() if v is not None}
        return {**copy.deepcopy(self.defaults), **given}
