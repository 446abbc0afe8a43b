"""Entities <-> JSON values, for the state file and the admin routes; decoding is strict.

``decode`` rebuilds a dataclass from its type hints and refuses anything that is not exactly that shape: a
missing or unknown key, a wrong type, an enum value the enum lacks, a timestamp without a time zone, a
non-finite or out-of-range duration. Every refusal is a :class:`ShapeError` naming the path to the value.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any

from mgn_emulator.bounds import check_seconds


class ShapeError(ValueError):
    """A value that is not the shape the state file needs; the message starts with the path to it."""


def encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    return value


@cache
def _hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)


def _kind_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def decode(kind: Any, data: Any, path: str) -> Any:
    """Rebuild a value of type ``kind`` (dataclass, enum, datetime, tuple, Optional, Mapping, str, bool, float)."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        if data is None:
            return None
        inner = [a for a in typing.get_args(kind) if a is not type(None)]
        return decode(inner[0], data, path)
    if origin is tuple:
        if not isinstance(data, list):
            raise ShapeError(f"{path}: expected a list, not {_kind_name(data)}")
        return tuple(decode(typing.get_args(kind)[0], item, f"{path}[{i}]") for i, item in enumerate(data))
    if origin in (Mapping, dict) or kind is Mapping:
        if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
            raise ShapeError(f"{path}: expected an object of strings")
        return dict(data)
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        return _dataclass(kind, data, path)
    if isinstance(kind, type) and issubclass(kind, Enum):
        try:
            return kind(data)
        except ValueError:
            raise ShapeError(f"{path}: {data!r} is not a {kind.__name__}") from None
    if kind is datetime:
        return _datetime(data, path)
    if kind is float:
        try:
            return check_seconds(data, path)
        except ValueError as exc:
            raise ShapeError(str(exc)) from None
    if kind in (str, bool) and not isinstance(data, kind):
        raise ShapeError(f"{path}: expected a {'string' if kind is str else 'boolean'}, not {_kind_name(data)}")
    return data


def _dataclass(kind: type, data: Any, path: str) -> Any:
    if not isinstance(data, dict):
        raise ShapeError(f"{path}: expected an object, not {_kind_name(data)}")
    fields = {f.name: f for f in dataclasses.fields(kind)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ShapeError(f"{path}: unknown key {unknown[0]!r}")
    values = {}
    for name, spec in fields.items():
        if name in data:
            values[name] = decode(_hints(kind)[name], data[name], f"{path}.{name}")
        elif spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
            raise ShapeError(f"{path}: missing key {name!r}")
    return kind(**values)


def _datetime(data: Any, path: str) -> datetime:
    if not isinstance(data, str):
        raise ShapeError(f"{path}: expected an ISO 8601 timestamp, not {_kind_name(data)}")
    try:
        moment = datetime.fromisoformat(data)
    except ValueError:
        raise ShapeError(f"{path}: {data!r} is not an ISO 8601 timestamp") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ShapeError(f"{path}: timestamp {data!r} has no time zone")
    return moment
