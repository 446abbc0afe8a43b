"""check never raises: every value of every input of every resource is a check failure at worst, and a message
quotes a long value by a short prefix and its length (``errors.shown``), never in full."""

from __future__ import annotations

from typing import Any

import pytest

from mgn_resources import CutoverProvider, LaunchSettingsProvider, TestLaunchProvider
from mgn_resources.errors import SHOWN_CHARACTERS, shown
from mgn_resources.schema import RESOURCES

SERVER = "s-0a1b2c3d4e5f6a7b8"
PROVIDERS = {"Cutover": CutoverProvider, "TestLaunch": TestLaunchProvider, "LaunchSettings": LaunchSettingsProvider}
REQUIRED = {"Cutover": {"source_server_ids": [SERVER]}, "TestLaunch": {"source_server_ids": [SERVER]},
            "LaunchSettings": {"source_server_id": SERVER}}
LONG = "k" * 1_000_000
LONGEST_MESSAGE = 400  # a message quotes at most a short prefix of each value it names


def nested(depth: int) -> list[Any]:
    outer: list[Any] = []
    inner = outer
    for _ in range(depth):
        inner.append([])
        inner = inner[0]
    return outer


class BadRepr:
    def __repr__(self) -> str:
        raise RuntimeError("no repr")


DEEP = nested(100_000)  # deeper than Python's recursion limit
VALUES: dict[str, Any] = {
    "huge int": 10**400,
    "huge negative int": -(10**400),
    "int past str()'s digit limit": 10**5000,
    "huge float": 1e308,
    "nan": float("nan"),
    "inf": float("inf"),
    "-inf": float("-inf"),
    "empty string": "",
    "million characters": LONG,
    "lone surrogate": "\ud800",
    "empty list": [],
    "list of a huge int": [10**5000],
    "million-character map key": {LONG: "v"},
    "map of a huge int": {"k": 10**400},
    "deeply nested list": DEEP,
    "deeply nested map value": {"a": DEEP},
    "bytes": b"bytes",
    "object with a failing repr": BadRepr(),
    "set": {1, 2},
    "tuple": (1,),
    "non-string map keys": {1: 2},
    "complex": 3 + 4j,
    "list of long IDs": ["s-" + LONG] * 300,
}
UNSET_FOR_SOME = {"empty string"}  # "" is how several string inputs are left unset: refused or not, never raising
SLOW = {"deeply nested list", "deeply nested map value", "million characters"}  # about 2 s each, for every input


@pytest.mark.parametrize(
    "label", [pytest.param(label, marks=pytest.mark.slow) if label in SLOW else label for label in VALUES]
)
def test_every_input_of_every_resource_refuses_the_value_without_raising(label: str) -> None:
    value = VALUES[label]
    for schema in RESOURCES:
        provider = PROVIDERS[schema.name]()
        for row in schema.inputs:
            result = provider.check({}, {**REQUIRED[schema.name], row.name: value})
            reasons = {f.property: f.reason for f in result.failures}
            assert label in UNSET_FOR_SOME or row.name in reasons, (schema.name, row.name, label, reasons)
            assert all(len(r) <= LONGEST_MESSAGE for r in reasons.values()), (schema.name, row.name, label)


def test_a_huge_timeout_is_refused_for_its_size() -> None:
    found = CutoverProvider().check({}, {"source_server_ids": [SERVER], "timeout_seconds": 10**400}).failures
    assert [f.reason for f in found if f.property == "timeout_seconds"] == [
        "timeout_seconds: an integer of about 401 digits: must be a number of seconds greater than 0 and at most 86400"
    ]


def test_a_million_character_tag_key_is_quoted_by_a_prefix_and_its_length() -> None:
    found = CutoverProvider().check({}, {"source_server_ids": [SERVER], "tags": {LONG: "v"}}).failures
    reason = next(f.reason for f in found if f.property == "tags")
    assert f"'{'k' * SHOWN_CHARACTERS}'... (1,000,000 characters) must be 1 to 256 characters" in reason


def test_an_unknown_input_with_a_million_character_name_is_quoted_short() -> None:
    found = CutoverProvider().check({}, {"source_server_ids": [SERVER], LONG: 1}).failures
    assert [f.reason for f in found] == [f"{shown(LONG)} is not an input of Cutover; remove it."]


def test_an_ip_address_must_be_a_string() -> None:
    found = LaunchSettingsProvider().check({}, {"source_server_id": SERVER, "private_ip_address": 167772161}).failures
    assert [f.reason for f in found if f.property == "private_ip_address"] == [
        "private_ip_address: 167772161 is not an IPv4 address"
    ]


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("short", "'short'"),
        ("x" * 41, f"'{'x' * 40}'... (41 characters)"),
        ("\ud800", "'\\ud800'"),
        (10**5000, "an integer of about 5,001 digits"),
        (-(10**400), "a negative integer of about 401 digits"),
        (2**64, str(2**64)),
        (float("nan"), "nan"),
        ([1] * 1000, "[1, 1, 1, 1, ...] (1,000 items)"),
        (DEEP, "[[[...]]]"),
        (BadRepr(), "<BadRepr instance at"),
        (True, "True"),
    ],
    ids=lambda v: shown(v)[:20],
)
def test_shown_quotes_any_value_briefly(value: Any, quoted: str) -> None:
    assert shown(value).startswith(quoted)
    assert len(shown(value)) <= 2 * SHOWN_CHARACTERS
