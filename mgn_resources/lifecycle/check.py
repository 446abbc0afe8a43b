"""check: validate every input by its schema row, name the input at fault, and fill in defaults. No AWS call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pulumi.output import Unknown

from ..errors import shown
from ..schema import ResourceSchema
from .common import is_unknown, without_provider
from .effective import StackSettings, usable_profile
from .settings_checks import settings_failures


@dataclass(frozen=True)
class CheckFailure:
    """One input at fault: its name (``property``, as Pulumi calls it) and one sentence why."""

    property: str
    reason: str


@dataclass(frozen=True)
class Checked:
    inputs: dict[str, Any]
    failures: list[CheckFailure]


def check_inputs(schema: ResourceSchema, news: Mapping[str, Any], stack: StackSettings | None = None) -> Checked:
    """The inputs with defaults filled in, and one failure per input at fault.

    Each input is checked alone first, by its row's rule; then what only makes sense together (region and
    endpoint, the role's partition, finalize and on_delete), with ``stack`` (aws:region) and the environment
    filling in unset settings, and inputs already at fault left out (as if unknown). Every value of every input is a
    failure at worst, and messages quote a long value by a short prefix (``errors.shown``). Raises only for what is
    no input's fault: an AWS profile botocore cannot find or read (``ConnectionSettingsError``, naming it).
    """
    usable_profile(stack or StackSettings())
    inputs = schema.with_defaults(without_provider(news))
    failures: list[CheckFailure] = []
    for key in sorted((k for k in inputs if k not in schema.names), key=shown):
        failures.append(CheckFailure(str(key), f"{shown(key)} is not an input of {schema.name}; remove it."))
    for row in schema.inputs:
        value = inputs.get(row.name)
        if row.name not in inputs or is_unknown(value):
            continue
        reason = _refusal(schema, row.name, value)
        if reason:
            failures.append(CheckFailure(row.name, f"{row.name}: {reason}"))
        elif row.type.is_number:
            inputs[row.name] = float(inputs[row.name])
    for key in schema.required:
        if key not in inputs:
            failures.append(CheckFailure(key, f"{key} is required: {schema[key].rule.text}."))
    for names in schema.alternatives:
        failure = _not_exactly_one(names, [name for name in names if name in inputs])
        if failure is not None:
            failures.append(failure)
    at_fault = {f.property for f in failures}
    checked = {k: Unknown() if k in at_fault else v for k, v in inputs.items()}
    for key, reason in settings_failures(checked, stack or StackSettings()):
        if key not in at_fault:
            failures.append(CheckFailure(key, f"{key}: {reason}"))
    return Checked(inputs, failures)


def _not_exactly_one(names: tuple[str, ...], given: list[str]) -> CheckFailure | None:
    """Inputs that are alternatives (``source_server_ids``, ``application_ids``, ``wave_id``): exactly one is set."""
    if len(given) == 1:
        return None
    choices = f"{', '.join(names[:-1])} or {names[-1]}"
    if not given:
        return CheckFailure(names[0], f"Set exactly one of {choices}; none is set.")
    both = "both" if len(given) == 2 else "all"
    return CheckFailure(given[1], f"Set exactly one of {choices}; {' and '.join(given)} are {both} set.")


def _refusal(schema: ResourceSchema, name: str, value: Any) -> str:
    """Why the row's rule refuses ``value``; a rule that fails on a value it did not foresee refuses it too."""
    rule = schema[name].rule
    try:
        return rule(value)
    except Exception:  # noqa: BLE001 - check reports a failure, never an exception
        expected = f" ({rule.text})" if rule.text else ""
        return f"{shown(value)} is not a {schema[name].type.doc}{expected} this input takes"
