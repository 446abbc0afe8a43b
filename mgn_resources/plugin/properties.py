"""Property values to and from the lifecycle's plain dicts, as the package schema (``schema.json``) spells them.

On the wire a property is a ``PropertyValue`` named camelCase (``sourceServerIds``); the lifecycle takes plain
values named snake_case (``source_server_ids``), with an unknown value as ``pulumi.output.Unknown``. Names are
converted where the schema has them, that is at the top level and inside object types (``servers[].jobId``), never
inside maps, whose keys are the user's (``tags``) or IDs (``launchedInstanceIds``); a name the schema does not know
travels as it came, so that check can name it as the user wrote it. Secrets are unwrapped on the way in; the
top-level keys that held one are remembered and wrapped secret again on the way out, with the ``effective_`` output
that echoes each (a secret ``roleArn`` keeps ``effectiveRoleArn`` secret too).

An unknown value travels as the engine's sentinel string (``pulumi.runtime.rpc.UNKNOWN``), both ways: the SDK's
``PropertyValue`` reads it as a plain string and cannot marshal its own ``Computed``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from pulumi.output import Unknown
from pulumi.provider.experimental.property_value import Computed, PropertyValue, ResourceReference
from pulumi.runtime.rpc import UNKNOWN

from ..schema.package import camel, snake

SCHEMA_FILE = "schema.json"
_TYPE_PREFIX = "#/types/"

Spec = Mapping[str, Any]


@cache
def schema_text() -> str:
    """The committed package schema, read as package data (``mgn_resources/plugin/schema.json``)."""
    return resources.files("mgn_resources.plugin").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


@cache
def _schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_text())
    return loaded


def resource_spec(token: str) -> Spec | None:
    """The schema's resource ``token`` (``mgn:index:Cutover``), None if the package has none of that name."""
    found: Spec | None = _schema()["resources"].get(token)
    return found


@dataclass(frozen=True)
class Props:
    """Plain props, snake_case, and the top-level keys (snake_case) whose value held a secret."""

    values: dict[str, Any]
    secret: frozenset[str] = frozenset()


def to_plain(token: str, props: Mapping[str, PropertyValue]) -> Props:
    """A resource's properties as the lifecycle takes them."""
    fields = _fields(token)
    values = {_snake(name, fields): _plain(value, fields.get(name)) for name, value in props.items()}
    secret = frozenset(_snake(name, fields) for name, value in props.items() if value.contains_secret())
    return Props(values, secret)


def config_to_plain(props: Mapping[str, PropertyValue]) -> Props:
    """The provider's configuration (``region``, ``endpointUrl``...), plain and snake_case; ``version`` dropped."""
    values = {snake(name): _plain(value, None) for name, value in props.items() if name != "version"}
    secret = frozenset(snake(name) for name, value in props.items() if value.contains_secret())
    return Props(values, secret)


def to_values(token: str, values: Mapping[str, Any], secret: Iterable[str] = ()) -> dict[str, PropertyValue]:
    """Plain outputs (or inputs) as the engine takes them: camelCase, the ``secret`` keys wrapped secret."""
    fields = _fields(token)
    hidden = set(secret)
    hidden |= {f"effective_{key}" for key in hidden}
    converted = {}
    for key, value in values.items():
        name = wire_name(token, key)
        prop = _value(value, fields.get(name))
        converted[name] = prop.with_secret(True) if key in hidden else prop
    return converted


def wire_name(token: str, key: str) -> str:
    """The camelCase name of ``token``'s property ``key``; a name the schema does not know, as it came."""
    name = camel(key)
    return name if name in _fields(token) else key


def _snake(name: str, fields: Mapping[str, Spec]) -> str:
    return snake(name) if name in fields else name


# ---- the walk, driven by the schema's type of each property ----


def _resource(token: str) -> Spec:
    spec = resource_spec(token)
    if spec is None:
        raise KeyError(token)
    return spec


@cache
def _fields(token: str) -> dict[str, Spec]:
    spec = _resource(token)
    return {**spec["inputProperties"], **spec["properties"]}


def _object_fields(spec: Spec | None) -> Mapping[str, Spec] | None:
    """The properties of the object type ``spec`` refers to (``$ref: #/types/mgn:index:ServerLaunch``), if any."""
    ref = str((spec or {}).get("$ref") or "")
    if not ref.startswith(_TYPE_PREFIX):
        return None
    found: Mapping[str, Spec] = _schema()["types"][ref[len(_TYPE_PREFIX) :]]["properties"]
    return found


def _plain(prop: PropertyValue, spec: Spec | None) -> Any:
    value = prop.value
    if isinstance(value, Computed) or value == UNKNOWN:
        return Unknown()
    if isinstance(value, ResourceReference):  # not asked for (accept_resources is off): its ID, as the engine sends
        return _plain(value.resource_id, None) if value.resource_id is not None else value.urn
    if isinstance(value, Mapping):
        fields = _object_fields(spec)
        if fields is not None:
            return {snake(k): _plain(v, fields.get(k)) for k, v in value.items()}
        item = (spec or {}).get("additionalProperties")
        return {k: _plain(v, item) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        item = (spec or {}).get("items")
        return [_plain(v, item) for v in value]
    if isinstance(value, float) and (spec or {}).get("type") == "integer" and value.is_integer():
        return int(value)
    return value


def _value(value: Any, spec: Spec | None) -> PropertyValue:
    if isinstance(value, PropertyValue):
        return value
    if isinstance(value, Unknown):
        return PropertyValue(UNKNOWN)
    if value is None or isinstance(value, bool | str):
        return PropertyValue(value)
    if isinstance(value, int | float):
        return PropertyValue(float(value))
    if isinstance(value, Mapping):
        fields = _object_fields(spec)
        if fields is not None:
            return PropertyValue({camel(k): _value(v, fields.get(camel(k))) for k, v in value.items()})
        item = (spec or {}).get("additionalProperties")
        return PropertyValue({str(k): _value(v, item) for k, v in value.items()})
    if isinstance(value, list | tuple):
        item = (spec or {}).get("items")
        return PropertyValue([_value(v, item) for v in value])
    raise TypeError(f"the mgn provider cannot send a value of type {type(value).__name__} to the engine")
