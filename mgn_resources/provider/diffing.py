"""diff: which input changes replace the launch, which update it in place. No AWS call."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import DiffResult
from pulumi.output import Unknown

from ..engine import OnDelete

REPLACING = ("account_id", "region", "endpoint_url", "role_arn")


def diff_inputs(olds: Mapping[str, Any], news: Mapping[str, Any], updatable: tuple[str, ...]) -> DiffResult:
    """``olds`` are the old outputs (which echo the old inputs); ``news`` the checked new inputs."""
    replaces = [key for key in ("source_server_ids", *REPLACING) if _changed(key, olds, news)]
    changes = replaces + [key for key in updatable if _changed(key, olds, news)]
    delete_first = bool(replaces) and olds.get("on_delete", OnDelete.RETAIN.value) != OnDelete.RETAIN.value
    return DiffResult(
        changes=bool(changes),
        replaces=replaces,
        stables=[],
        delete_before_replace=delete_first,
    )


def _changed(key: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    old, new = olds.get(key), news.get(key)
    if isinstance(new, Unknown) or (isinstance(new, list) and any(isinstance(v, Unknown) for v in new)):
        return True
    if key == "source_server_ids":
        return set(old or []) != set(new or [])
    if isinstance(old, (int, float)) and isinstance(new, (int, float)) and not isinstance(old, bool):
        return float(old) != float(new)
    return (old or None) != (new or None) if not isinstance(old, bool) else old != new
