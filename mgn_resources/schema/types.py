"""The types an input can have: how each is annotated in Python and written in the docs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class InputType:
    doc: str  # as the README writes it
    input_hint: str  # the Args property's and TypedDict key's annotation
    output_hint: str  # the echoed ``pulumi.Output[...]``'s annotation
    to_engine: Callable[[Any], Any]  # a checked value as the engine takes it

    @property
    def is_number(self) -> bool:
        return self.to_engine is float


STRING = InputType("str", "pulumi.Input[str]", "str", str)
BOOLEAN = InputType("bool", "pulumi.Input[bool]", "bool", bool)
NUMBER = InputType("number", "pulumi.Input[float]", "float", float)
STRING_LIST = InputType("list[str]", "pulumi.Input[Sequence[pulumi.Input[str]]]", "list[str]", tuple)
STRING_MAP = InputType("map", "pulumi.Input[Mapping[str, pulumi.Input[str]]]", "dict[str, str]", dict)
