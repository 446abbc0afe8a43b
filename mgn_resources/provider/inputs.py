"""check: validate every input, name the input at fault, and fill in defaults. No AWS call."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pulumi.dynamic import CheckFailure
from pulumi.output import Unknown

from ..aws.shapes import LaunchKind
from ..engine.teardown import OnDelete
from .effective import StackSettings
from .limits import model_limits
from .settings_checks import endpoint_problem, has_control_characters, settings_failures

MIN_POLL_INTERVAL_SECONDS = 0.05
MAX_POLL_INTERVAL_SECONDS = 600.0
MAX_TIMEOUT_SECONDS = 86400.0
ROLE_ARN = re.compile(r"arn:[a-z0-9-]+:iam::[0-9]{12}:role/[\w+=,.@/-]{1,512}")
REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-[0-9]+")

COMMON_DEFAULTS: dict[str, Any] = {
    "tags": {},
    "timeout_seconds": 3600.0,
    "poll_interval_seconds": 15.0,
    "wait_for_post_launch_actions": True,
    "on_delete": OnDelete.RETAIN.value,
}
KIND_DEFAULTS: dict[LaunchKind, dict[str, Any]] = {
    LaunchKind.CUTOVER: {"finalize": False, "require_successful_test": False},
    LaunchKind.TEST: {"mark_ready_for_cutover": True},
}
ON_DELETE_CHOICES = {
    LaunchKind.CUTOVER: (OnDelete.RETAIN, OnDelete.REVERT, OnDelete.TERMINATE),
    LaunchKind.TEST: (OnDelete.RETAIN, OnDelete.TERMINATE),
}
OPTIONAL_STRINGS = ("account_id", "region", "endpoint_url", "role_arn")
RESOURCE_NAMES = {LaunchKind.CUTOVER: "Cutover", LaunchKind.TEST: "TestLaunch"}


def with_defaults(kind: LaunchKind, props: Mapping[str, Any]) -> dict[str, Any]:
    """``props`` with every defaulted input filled in where it is missing or None."""
    given = {k: v for k, v in props.items() if v is not None}
    return {**COMMON_DEFAULTS, **KIND_DEFAULTS[kind], **given}


def input_names(kind: LaunchKind) -> set[str]:
    return {"source_server_ids", *OPTIONAL_STRINGS, *COMMON_DEFAULTS, *KIND_DEFAULTS[kind]}


@dataclass(frozen=True)
class Checked:
    inputs: dict[str, Any]
    failures: list[CheckFailure]


def check_inputs(kind: LaunchKind, news: Mapping[str, Any], stack: StackSettings | None = None) -> Checked:
    """The inputs with defaults filled in, and one failure per input at fault.

    Each input is checked alone first; then what only makes sense together (region and endpoint, the role's
    partition, finalize and on_delete), with ``stack`` (aws:region) and the environment filling in unset settings.
    """
    inputs = with_defaults(kind, {k: v for k, v in news.items() if k != "__provider"})
    failures: list[CheckFailure] = []
    for key in sorted(set(inputs) - input_names(kind)):
        failures.append(CheckFailure(key, f"{key} is not an input of {RESOURCE_NAMES[kind]}; remove it."))
    for key, validate in _validators(kind).items():
        value = inputs.get(key)
        if key not in inputs or _is_unknown(value):
            continue
        reason = validate(value)
        if reason:
            failures.append(CheckFailure(key, f"{key}: {reason}"))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            inputs[key] = float(value)
    if "source_server_ids" not in inputs:
        failures.append(CheckFailure("source_server_ids", "source_server_ids is required: list 1 to 200 servers."))
    at_fault = {f.property for f in failures}
    for key, reason in settings_failures(kind, inputs, stack or StackSettings()):
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


def _validators(kind: LaunchKind) -> dict[str, Callable[[Any], str]]:
    return {
        "source_server_ids": _server_ids,
        "tags": _tags,
        "account_id": _matching(model_limits().account_id_pattern, "a 12-digit AWS account ID"),
        "region": _matching(REGION, "an AWS region such as us-east-1"),
        "endpoint_url": _endpoint,
        "role_arn": _matching(ROLE_ARN, "an IAM role ARN such as arn:aws:iam::123456789012:role/mgn-cutover"),
        "timeout_seconds": _seconds(
            0.0, MAX_TIMEOUT_SECONDS, f"must be a number of seconds greater than 0 and at most {MAX_TIMEOUT_SECONDS:g}"
        ),
        "poll_interval_seconds": _seconds(
            MIN_POLL_INTERVAL_SECONDS,
            MAX_POLL_INTERVAL_SECONDS,
            f"must be a number of seconds of at least {MIN_POLL_INTERVAL_SECONDS:g} "
            f"and at most {MAX_POLL_INTERVAL_SECONDS:g}",
        ),
        "wait_for_post_launch_actions": _boolean,
        "finalize": _boolean,
        "require_successful_test": _boolean,
        "mark_ready_for_cutover": _boolean,
        "on_delete": _one_of(tuple(m.value for m in ON_DELETE_CHOICES[kind])),
    }


def _server_ids(value: Any) -> str:
    limits = model_limits()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return "must be a list of source server IDs"
    if not value:
        return f"list 1 to {limits.max_servers} source server IDs; the list is empty"
    if len(value) > limits.max_servers:
        return (
            f"{len(value)} servers is over MGN's limit of {limits.max_servers} per job; split them into waves"
        )
    malformed = [v for v in value if not limits.server_id_pattern.fullmatch(v)]
    if malformed:
        return f"{', '.join(malformed)} not of the form s- and 17 letters or digits"
    duplicates = sorted({v for v in value if value.count(v) > 1})
    if duplicates:
        return f"{', '.join(duplicates)} listed more than once"
    return ""


def _tags(value: Any) -> str:
    limits = model_limits()
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return "must be a map of strings to strings"
    if len(value) > limits.max_tags:
        return f"{len(value)} tags is over MGN's limit of {limits.max_tags}"
    for key, text in value.items():
        if not key or len(key) > limits.tag_key_max:
            return f"key {key!r} must be 1 to {limits.tag_key_max} characters"
        if key.lower().startswith("aws:"):
            return f"key {key!r} uses the reserved prefix aws:"
        if has_control_characters(key):
            return f"key {key!r} contains control characters"
        if has_control_characters(text):
            return f"the value of {key!r} contains control characters"
        if len(text) > limits.tag_value_max:
            return f"the value of {key!r} is over {limits.tag_value_max} characters"
    return ""


def _matching(pattern: re.Pattern[str], what: str) -> Callable[[Any], str]:
    def validate(value: Any) -> str:
        if isinstance(value, str) and (value == "" or pattern.fullmatch(value)):
            return ""
        return f"{value!r} is not {what}"

    return validate


def _endpoint(value: Any) -> str:
    if not isinstance(value, str):
        return "must be an http(s) URL"
    return endpoint_problem(value) if value else ""


def _seconds(minimum: float, maximum: float, reason: str) -> Callable[[Any], str]:
    """A finite number of seconds above 0, at least ``minimum`` and at most ``maximum``."""

    def validate(value: Any) -> str:
        ok = (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and math.isfinite(value)
            and 0 < value
            and minimum <= value <= maximum
        )
        return "" if ok else f"{value!r}: {reason}"

    return validate


def _boolean(value: Any) -> str:
    return "" if isinstance(value, bool) else f"{value!r} must be true or false"


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def validate(value: Any) -> str:
        return "" if value in choices else f"{value!r} must be one of {', '.join(choices)}"

    return validate
