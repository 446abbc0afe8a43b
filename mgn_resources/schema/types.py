"""The types an input can have: how each is annotated in Python and written in the docs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InputType:
    doc: str  # as the README writes it
    input_hint: str  # the Args property's and TypedDict key's annotation
    output_hint: str  # the echoed ``pulumi.Output[...]``'s annotation

    @property
    def is_number(self) -> bool:
        return self.output_hint == "float"


STRING = InputType("str", "pulumi.Input[str]", "str")
BOOLEAN = InputType("bool", "pulumi.Input[bool]", "bool")
NUMBER = InputType("number", "pulumi.Input[float]", "float")
STRING_LIST = InputType("list[str]", "pulumi.Input[Sequence[pulumi.Input[str]]]", "list[str]")
STRING_MAP = InputType("map", "pulumi.Input[Mapping[str, pulumi.Input[str]]]", "dict[str, str]")
