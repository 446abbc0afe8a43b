"""check: validate every input by its schema row, name the input at fault, and fill in defaults. No AWS call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pulumi.dynamic import CheckFailure
from pulumi.output import Unknown

from ..schema import ResourceSchema
from .effective import StackSettings
from .settings_checks import settings_failures


@dataclass(frozen=True)
class Checked:
    inputs: dict[str, Any]
    failures: list[CheckFailure]


def check_inputs(schema: ResourceSchema, news: Mapping[str, Any], stack: StackSettings | None = None) -> Checked:
    """The inputs with defaults filled in, and one failure per input at fault.

    Each input is checked alone first, by its row's rule; then what only makes sense together (region and
    endpoint, the role's partition, finalize and on_delete), with ``stack`` (aws:region) and the environment
    filling in unset settings.
    """
    inputs = schema.with_defaults({k: v for k, v in news.items() if k != "__provider"})
    failures: list[CheckFailure] = []
    for key in sorted(set(inputs) - set(schema.names)):
        failures.append(CheckFailure(key, f"{key} is not an input of {schema.name}; remove it."))
    for row in schema.inputs:
        value = inputs.get(row.name)
        if row.name not in inputs or _is_unknown(value):
            continue
        reason = row.rule_for(schema.name)(value)
        if reason:
            failures.append(CheckFailure(row.name, f"{row.name}: {reason}"))
        elif row.type.is_number:
            inputs[row.name] = float(inputs[row.name])
    for key in schema.required:
        if key not in inputs:
            failures.append(CheckFailure(key, f"{key} is required: {schema[key].rule_for(schema.name).text}."))
    at_fault = {f.property for f in failures}
    for key, reason in settings_failures(inputs, stack or StackSettings()):
        if key not in at_fault:
            failures.append(CheckFailure(key, f"{key}: {reason}"))
    return Checked(inputs, failures)


def _is_unknown(value: Any) -> bool:
    if isinstance(value, Unknown):
        return True
    if isinstance(value, list):
        return any(_is_unknown(v) for v in value)
    if isinstance(value, dict):
        return any(_is_unknown(v) for v in value.values())
    return False
