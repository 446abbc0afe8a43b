"""The IAM policy lists exactly the MGN actions the adapter can call: no more, no less, no wildcards.

The suite also records every call the provider makes against the emulator (tests/conftest.py) and fails
the run if one is missing from the policy.
"""

from __future__ import annotations

import re
from pathlib import Path

import boto3

from tests.conftest import POLICY_FILE, policy_actions

ADAPTER = Path(__file__).resolve().parents[2] / "mgn_resources" / "aws" / "api.py"


def adapter_operations() -> set[str]:
    source = ADAPTER.read_text()
    methods = set(re.findall(r"self\._client\.([a-z_]+)\(", source)) - {"get_paginator"}
    methods |= set(re.findall(r'get_paginator\("([a-z_]+)"\)', source))
    mapping = boto3.client("mgn", region_name="us-east-1").meta.method_to_api_mapping
    return {f"mgn:{mapping[m]}" for m in methods}


def test_policy_matches_the_calls_the_adapter_makes() -> None:
    assert adapter_operations() == policy_actions()


def test_policy_has_no_wildcards() -> None:
    assert "*" not in "".join(policy_actions())
    assert POLICY_FILE.read_text().count('"Effect": "Allow"') == 3
