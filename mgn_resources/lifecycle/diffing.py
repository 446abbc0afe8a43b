"""diff: which input changes replace the launch, which update it in place. No AWS call.

Where the job lives (account, region, endpoint, role) is compared as resolved, not as written: stating a
value equal to the one the job was launched with is no change, and each real difference is named in
``replaces``. A difference that only the caller's environment makes (neither the input nor the stack config
sets the setting) is refused instead: replacing would undo the cutover because of a shell variable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..engine import Progress
from ..errors import ConnectionSettingsError, shown
from ..schema import ResourceSchema
from ..schema.inputs import RETAIN
from ..schema.rules import endpoint_problem
from .common import is_unknown
from .effective import (
    Effective,
    Sourced,
    StackSettings,
    arn_account,
    endpoint_of,
    launched,
    region_of,
    requested,
    usable_profile,
)
from .groups import declared
from .server_diff import refuse_tearing_down_live_servers, server_plan


@dataclass(frozen=True)
class Diff:
    """What a change of inputs does: ``changes`` at all, the inputs that ``replaces`` the resource, and whether the
    old one is deleted first (``delete_before_replace``)."""

    changes: bool
    replaces: list[str]
    delete_before_replace: bool = False


def diff_inputs(
    olds: Mapping[str, Any],
    news: Mapping[str, Any],
    schema: ResourceSchema,
    stack: StackSettings,
    progress: Progress | None = None,
) -> Diff:
    """``olds`` are the old outputs (which echo the old inputs); ``news`` the checked new inputs.

    The schema says which inputs replace and which update; where the job lives (``_MOVED``) is compared resolved.
    A launch resource (one with ``source_server_ids``) also updates when a server it declares is not launched now
    (``pending_server_ids``, ``failed_server_ids``), and ``progress`` hears which servers the update acts on. One
    declared by ``application_ids`` or ``wave_id`` declares the servers its create resolved them to: a change of the
    group replaces it, what the group lists now (drift) changes nothing.
    """
    usable_profile(stack)
    news = declared(olds, news)
    replaces = [key for key in schema.replacing if key not in _MOVED and _changed(schema, key, olds, news)]
    replaces += moved_settings(olds, news, stack, [key for key in schema.replacing if key in _MOVED])
    changes = replaces + [key for key in schema.updatable if _changed(schema, key, olds, news)]
    delete_first = bool(replaces) and olds.get("on_delete", RETAIN) != RETAIN
    if "source_server_ids" in schema.updatable:
        # Another role in the job's account: an update, which records it and calls through it from then on.
        if "role_arn" not in replaces and launched(olds).role_arn != str(news.get("role_arn") or ""):
            changes.append("role_arn")
        if replaces:
            refuse_tearing_down_live_servers(olds, news, replaces)
        else:
            plan = server_plan(olds, news)
            changes += ["source_server_ids"] if plan else []
            if plan and progress is not None:
                progress.info(plan)
    return Diff(changes=bool(changes), replaces=replaces, delete_before_replace=delete_first)


def moved_settings(
    olds: Mapping[str, Any], news: Mapping[str, Any], stack: StackSettings, keys: Sequence[str]
) -> list[str]:
    """The settings among ``keys`` whose resolved value differs from the one the job was launched with.

    Raises ConnectionSettingsError when such a difference comes from the environment alone.
    """
    old, new = launched(olds), requested(news, stack)
    moved = [key for key in keys if is_unknown(news.get(key)) or _MOVED[key](old, new)]
    for key in moved:
        _refuse_an_environment_move(key, olds, news, stack, old)
    return moved


def _refuse_an_environment_move(
    key: str, olds: Mapping[str, Any], news: Mapping[str, Any], stack: StackSettings, old: Effective
) -> None:
    if key not in _FROM_ENVIRONMENT or is_unknown(news.get(key)):
        return
    now = region_of(news, stack) if key == "region" else endpoint_of(news, stack)
    if now.source in ("region", "aws:region", "endpoint_url"):  # stated: a deliberate move
        return
    if not now.source and olds.get(key):  # the input was removed: the edit, not the environment, moves the job
        return
    job = str(olds.get("job_id") or "this resource's job")
    was = repr(getattr(old, key)) if getattr(old, key) else "unset (AWS's own endpoint)"
    stated = "neither the region input nor aws:region sets" if key == "region" else "no endpoint_url input sets"
    move = "set region or `pulumi config set aws:region`" if key == "region" else "set endpoint_url"
    raise ConnectionSettingsError(
        f"{key}: {job} was launched with {key} {was}, but {_environment(key, now)} in this environment and "
        f"{stated} it, so a replacement would undo the job where it was launched; to move the job deliberately {move} "
        f"explicitly, otherwise {_unset(now)} and run again.",
        setting=key,
    )


_FROM_ENVIRONMENT = ("region", "endpoint_url")


def _environment(key: str, now: Sourced) -> str:
    if not now.source:
        return "nothing sets one (AWS_ENDPOINT_URL_MGN, AWS_ENDPOINT_URL and the profile's endpoint_url are unset)"
    if key == "endpoint_url" and endpoint_problem(now.value):  # check refuses it; never echo user info
        return f"{now.source} is an unusable URL"
    return f"{now.source} is {shown(now.value)}"


def _unset(now: Sourced) -> str:
    if not now.source:
        return "set the variable the job was launched with again"
    if now.source.startswith("AWS_"):
        return f"unset {now.source}"
    return f"remove {now.source}"


_MOVED: dict[str, Callable[[Effective, Effective], bool]] = {
    # No account_id now means "the deploying identity's account", which only an AWS call could tell: not a move.
    "account_id": lambda old, new: bool(new.account_id) and new.account_id != old.account_id,
    # No region anywhere now cannot move the job either (create would refuse it; the job stays where it is).
    "region": lambda old, new: bool(new.region) and new.region != old.region,
    "endpoint_url": lambda old, new: new.endpoint_url.rstrip("/") != old.endpoint_url.rstrip("/"),
    "role_arn": lambda old, new: _role_moves(old, new),
}


def _role_moves(old: Effective, new: Effective) -> bool:
    """Another role moves the job only into another account: the new role's account (from its ARN), or the stated
    account_id once no role is set, against the job's; an account no input tells (the deploying identity's) counts
    as another."""
    if new.role_arn == old.role_arn:
        return False
    account = arn_account(new.role_arn) if new.role_arn else new.account_id
    return not account or account != old.account_id


def _changed(schema: ResourceSchema, key: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    old, new = olds.get(key), news.get(key)
    if is_unknown(new):
        return True
    if schema[key].unordered:
        return set(old or []) != set(new or [])
    if isinstance(old, (int, float)) and isinstance(new, (int, float)) and not isinstance(old, bool):
        return float(old) != float(new)
    return (old or None) != (new or None) if not isinstance(old, bool) else old != new
