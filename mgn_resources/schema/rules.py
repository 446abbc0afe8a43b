"""How an input is validated at check, alone: each rule gives the reason a value is refused ("" if it is not)
and the text that documents it. Limits come from botocore's model through the adapter. No AWS call."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from ..aws.limits import model_limits
from ..errors import shown, shown_list


class Rule(Protocol):
    @property
    def text(self) -> str:
        """The rule in words, for the README and the docstrings ("" when the type says it all)."""
        ...

    def __call__(self, value: Any) -> str:
        """Why ``value`` is refused, or ""."""
        ...


def has_control_characters(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def endpoint_problem(url: str) -> str:
    """Why ``url`` cannot be an MGN endpoint, or "". Never repeats the URL: it may carry a password."""
    if any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in url):
        return "the URL contains whitespace or control characters"
    if "@" in re.split(r"[/?#]", url.split("//", 1)[-1], maxsplit=1)[0]:  # before parsing: its errors quote it
        return (
            "the URL carries user info (user:password@); credentials never go in inputs, outputs or state: "
            "use aws:profile or the AWS_* variables"
        )
    try:  # the parser's error texts quote the URL's parts: never repeated
        parts = urlsplit(url)
    except ValueError:
        return "the URL does not parse (check the characters of its host)"
    try:
        port = parts.port
    except ValueError:
        return "the URL's port must be from 1 to 65535"
    if "@" in parts.netloc:
        return (
            "the URL carries user info (user:password@); credentials never go in inputs, outputs or state: "
            "use aws:profile or the AWS_* variables"
        )
    if parts.scheme not in ("http", "https"):
        return f"the URL must start with http:// or https://, not {parts.scheme + '://' if parts.scheme else 'none'}"
    if not parts.hostname:
        return "the URL names no host"
    if port == 0:
        return "the URL's port must be from 1 to 65535"
    return ""


def malformed_or_repeated(ids: list[str], pattern: re.Pattern[str], prefix: str) -> str:
    """Why a list of MGN IDs (``prefix`` and 17 letters or digits) is refused for a malformed or repeated ID, or ""."""
    malformed = [v for v in ids if not pattern.fullmatch(v)]
    if malformed:
        return f"{shown_list(malformed)} not of the form {prefix} and 17 letters or digits"
    duplicates = sorted({v for v in ids if ids.count(v) > 1})
    if duplicates:
        return f"{shown_list(duplicates)} listed more than once"
    return ""


class ServerIds:
    """1 to the model's maximum of well-formed, unique source server IDs."""

    @property
    def text(self) -> str:
        return f"1 to {model_limits().max_servers} unique IDs `s-` + 17 letters or digits"

    def __call__(self, value: Any) -> str:
        limits = model_limits()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "must be a list of source server IDs"
        if not value:
            return f"list 1 to {limits.max_servers} source server IDs; the list is empty"
        if len(value) > limits.max_servers:
            return f"{len(value)} servers is over MGN's limit of {limits.max_servers} per job; split them into waves"
        return malformed_or_repeated(value, limits.server_id_pattern, "s-")


class ApplicationIds:
    """1 to the model's maximum (DescribeSourceServers' applicationIDs filter) of well-formed, unique application
    IDs."""

    @property
    def text(self) -> str:
        limits = model_limits()
        return (
            f"1 to {limits.server_application_filter_max} unique IDs `app-` + 17 letters or digits; at most "
            f"{limits.max_servers} servers in all (MGN's limit per job), refused at create with the count"
        )

    def __call__(self, value: Any) -> str:
        limits = model_limits()
        most = limits.server_application_filter_max
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "must be a list of MGN application IDs"
        if not value or len(value) > most:
            return f"list 1 to {most} application IDs; the list has {len(value)}"
        return malformed_or_repeated(value, limits.application_id_pattern, "app-")


class WaveId:
    """The model's wave ID."""

    @property
    def text(self) -> str:
        return (
            f"`wave-` + 17 letters or digits; at most {model_limits().max_servers} servers in all (MGN's limit per "
            "job), refused at create with the count"
        )

    def __call__(self, value: Any) -> str:
        if isinstance(value, str) and model_limits().wave_id_pattern.fullmatch(value):
            return ""
        return f"{shown(value)} is not an MGN wave ID (wave- and 17 letters or digits)"


class Tags:
    """A map of strings within MGN's tag limits, no reserved prefix, no control characters."""

    @property
    def text(self) -> str:
        limits = model_limits()
        return (
            f"up to {limits.max_tags}, keys 1 to {limits.tag_key_max} characters (no `aws:` prefix), values up to "
            f"{limits.tag_value_max}; no control characters"
        )

    def __call__(self, value: Any) -> str:
        limits = model_limits()
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            return "must be a map of strings to strings"
        if len(value) > limits.max_tags:
            return f"{len(value)} tags is over MGN's limit of {limits.max_tags}"
        for key, text in value.items():
            if not key or len(key) > limits.tag_key_max:
                return f"key {shown(key)} must be 1 to {limits.tag_key_max} characters"
            if key.lower().startswith("aws:"):
                return f"key {shown(key)} uses the reserved prefix aws:"
            if has_control_characters(key):
                return f"key {shown(key)} contains control characters"
            if has_control_characters(text):
                return f"the value of {shown(key)} contains control characters"
            if len(text) > limits.tag_value_max:
                return f"the value of {shown(key)} is over {limits.tag_value_max} characters"
        return ""


@dataclass(frozen=True)
class Matching:
    """A string matching ``pattern`` in full (or empty: unset)."""

    pattern: re.Pattern[str]
    what: str  # "a 12-digit AWS account ID"
    text: str = ""

    def __call__(self, value: Any) -> str:
        if isinstance(value, str) and (value == "" or self.pattern.fullmatch(value)):
            return ""
        return f"{shown(value)} is not {self.what}"


class AccountId:
    """The model's account ID (exactly twelve digits)."""

    text = "12 digits"

    def __call__(self, value: Any) -> str:
        return Matching(model_limits().account_id_pattern, "a 12-digit AWS account ID")(value)


class EndpointUrl:
    text = (
        "`http(s)://host[:port][/path]`, port 1 to 65535; no user info (`user:password@`), whitespace or "
        "control characters"
    )

    def __call__(self, value: Any) -> str:
        if not isinstance(value, str):
            return "must be an http(s) URL"
        return endpoint_problem(value) if value else ""


@dataclass(frozen=True)
class Seconds:
    """A finite number of seconds, above 0, from ``minimum`` (above it when ``minimum`` is 0) to ``maximum``."""

    minimum: float
    maximum: float

    @property
    def text(self) -> str:
        if self.minimum > 0:
            return f"from {self.minimum:g} to {self.maximum:g}"
        return f"above 0, at most {self.maximum:g}"

    def __call__(self, value: Any) -> str:
        # Python compares an int of any size with a float exactly; only math.isfinite(int) could overflow.
        ok = (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and not (isinstance(value, float) and not math.isfinite(value))
            and 0 < value
            and self.minimum <= value <= self.maximum
        )
        if ok:
            return ""
        if self.minimum > 0:
            return (
                f"{shown(value)}: must be a number of seconds of at least {self.minimum:g} and at most "
                f"{self.maximum:g}"
            )
        return f"{shown(value)}: must be a number of seconds greater than 0 and at most {self.maximum:g}"


class Boolean:
    text = ""

    def __call__(self, value: Any) -> str:
        return "" if isinstance(value, bool) else f"{shown(value)} must be true or false"


@dataclass(frozen=True)
class OneOf:
    """One of ``choices``: each value and what it means, for the docs."""

    choices: Mapping[str, str]

    @property
    def text(self) -> str:
        quoted = [f"`{c}` ({meaning})" if meaning else f"`{c}`" for c, meaning in self.choices.items()]
        return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"

    def __call__(self, value: Any) -> str:
        if isinstance(value, str) and value in self.choices:
            return ""
        return f"{shown(value)} must be one of {', '.join(self.choices)}"
