"""What the plugin answers beyond the lifecycle's own results: the per-property diff the CLI shows, and the check of
the provider configuration by the rules of the resource inputs of the same name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi.provider.experimental.provider import CheckFailure, PropertyDiff, PropertyDiffKind

from ..errors import shown
from ..lifecycle.common import is_unknown
from ..lifecycle.diffing import Diff
from ..lifecycle.groups import declared
from ..schema import Input, ResourceSchema
from ..schema.package import CONFIG, camel
from .text import plugin_text

#: When the lifecycle reports a change no input shows: what changes (a launch resource launches the servers it
#: declares that are not launched now; LaunchSettings makes its version the default again). Input or output.
UNSEEN_CHANGE = {"source_server_ids": True, "default_version": False}


def detailed_diff(schema: ResourceSchema, olds: Mapping[str, Any], news: Mapping[str, Any], diff: Diff) -> dict[
    str, PropertyDiff
]:
    """Each input whose value differs (an unordered list by its members), replacing if the lifecycle says so.

    The lifecycle decides whether the resource changes and what replaces it; this only names the properties for
    the CLI's display (``pulumi preview --diff``). Inputs that name MGN applications or a wave declare the servers the
    state records (``source_server_ids`` is then theirs, not a deleted input).
    """
    news = declared(olds, news)
    detailed: dict[str, PropertyDiff] = {}
    for row in schema.inputs:
        old, new = olds.get(row.name), news.get(row.name)
        replaces = row.name in diff.replaces
        if replaces or _differs(row, old, new):
            detailed[camel(row.name)] = PropertyDiff(_kind(old, new, replaces), input_diff=True)
    if not detailed:
        for name, is_input in UNSEEN_CHANGE.items():
            if name in schema.names or not is_input:
                detailed[camel(name)] = PropertyDiff(PropertyDiffKind.UPDATE, input_diff=is_input)
                break
    return detailed


def _differs(row: Input, old: Any, new: Any) -> bool:
    if is_unknown(new):
        return True
    if row.unordered:
        return set(old or []) != set(new or [])
    if isinstance(old, bool) or isinstance(new, bool):
        return old != new
    if isinstance(old, int | float) and isinstance(new, int | float):
        return float(old) != float(new)
    return (old or None) != (new or None)


def _kind(old: Any, new: Any, replaces: bool) -> PropertyDiffKind:
    if old in (None, "") and not is_unknown(new):
        return PropertyDiffKind.ADD_REPLACE if replaces else PropertyDiffKind.ADD
    if new in (None, ""):
        return PropertyDiffKind.DELETE_REPLACE if replaces else PropertyDiffKind.DELETE
    return PropertyDiffKind.UPDATE_REPLACE if replaces else PropertyDiffKind.UPDATE


def config_failures(config: Mapping[str, Any]) -> list[CheckFailure]:
    """One failure per configuration variable its input row's rule refuses (``endpointUrl``, ``accountId``...)."""
    failures = []
    for variable in CONFIG:
        value, row = config.get(variable.name), variable.row
        if row is None or value in (None, "") or is_unknown(value):
            continue
        try:
            reason = row.rule(value)
        except Exception:  # noqa: BLE001 - a check reports a failure, never an exception
            reason = f"{shown(value)} is not a {row.type.doc} this setting takes"
        if reason:
            failures.append(CheckFailure(camel(variable.name), plugin_text(f"{variable.name}: {reason}")))
    return failures
