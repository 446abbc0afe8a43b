"""Request validation from botocore's model: required members, types, lengths, sizes, ranges, patterns, enums.

botocore's own client-side validator checks only required members, types and minimums; maximums,
patterns and enums are the service's job, so every request is walked here against the operation's
input shape. Patterns in the model carry no anchors; like the AWS service (Java ``String.matches``),
a value must match the whole pattern (``re.fullmatch``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from mgn_emulator import spec
from mgn_emulator.exceptions import FieldProblem, ValidationError


@lru_cache(maxsize=256)
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)


def validate(operation: str, params: Mapping[str, Any]) -> None:
    """Raise :class:`ValidationError` naming every member of ``params`` that breaks the model."""
    shape = spec.operation(operation).input_shape
    problems: list[FieldProblem] = []
    if shape is not None:
        _structure(shape, params, "", problems)
    if problems:
        first = problems[0]
        raise ValidationError(f"Invalid value for {first.name}: {first.message}", fields=problems)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _structure(shape: StructureShape, value: Any, path: str, problems: list[FieldProblem]) -> None:
    if not isinstance(value, Mapping):
        problems.append(FieldProblem(path or "body", "Member must be an object"))
        return
    for name in shape.required_members:
        if value.get(name) is None:
            problems.append(FieldProblem(_join(path, name), "Member must not be null"))
    for name, member in shape.members.items():
        if name in value and value[name] is not None:
            _value(member, value[name], _join(path, name), problems)


def _value(shape: Shape, value: Any, path: str, problems: list[FieldProblem]) -> None:
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        _structure(shape, value, path, problems)
    elif kind == "list":
        assert isinstance(shape, ListShape)
        if not isinstance(value, list):
            problems.append(FieldProblem(path, "Member must be a list"))
            return
        _size(shape, len(value), path, problems, "length")
        for index, item in enumerate(value):
            if item is None:
                problems.append(FieldProblem(path, f"Member at index {index} must not be null"))
            else:
                _value(shape.member, item, path, problems)
    elif kind == "map":
        assert isinstance(shape, MapShape)
        if not isinstance(value, Mapping):
            problems.append(FieldProblem(path, "Member must be a map"))
            return
        _size(shape, len(value), path, problems, "size")
        for key, item in value.items():
            _value(shape.key, key, path, problems)
            _value(shape.value, item, f"{path}.{key}", problems)
    elif kind == "string":
        _string(shape, value, path, problems)
    elif kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(FieldProblem(path, "Member must be an integer"))
            return
        _range(shape, value, path, problems)
    elif kind == "boolean":
        if not isinstance(value, bool):
            problems.append(FieldProblem(path, "Member must be a boolean"))
    elif kind in ("double", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(FieldProblem(path, "Member must be a number"))


def _string(shape: Shape, value: Any, path: str, problems: list[FieldProblem]) -> None:
    if not isinstance(value, str):
        problems.append(FieldProblem(path, "Member must be a string"))
        return
    _size(shape, len(value), path, problems, "length")
    enum: list[str] = getattr(shape, "enum", [])
    if enum and value not in enum:
        problems.append(FieldProblem(path, f"Member must satisfy enum value set: [{', '.join(enum)}]"))
    pattern = shape.metadata.get("pattern")
    if pattern and not _pattern(pattern).fullmatch(value):
        problems.append(FieldProblem(path, f"Member must satisfy regular expression pattern: {pattern}"))


def _size(shape: Shape, size: int, path: str, problems: list[FieldProblem], word: str) -> None:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and size < low:
        problems.append(FieldProblem(path, f"Member must have {word} greater than or equal to {low}"))
    if high is not None and size > high:
        problems.append(FieldProblem(path, f"Member must have {word} less than or equal to {high}"))


def _range(shape: Shape, value: int, path: str, problems: list[FieldProblem]) -> None:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and value < low:
        problems.append(FieldProblem(path, f"Member must have value greater than or equal to {low}"))
    if high is not None and value > high:
        problems.append(FieldProblem(path, f"Member must have value less than or equal to {high}"))


def shape_problems(shape_name: str, value: Any) -> list[str]:
    """What is wrong with ``value`` as the model's shape ``shape_name`` (for the seed): one message each."""
    problems: list[FieldProblem] = []
    _value(spec.service_model().shape_for(shape_name), value, shape_name, problems)
    return [p.message for p in problems]
