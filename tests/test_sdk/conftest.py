"""The SDKs generated from the plugin's package schema (make sdk): what they are checked with, and what a program on
the TypeScript or Go SDK must see under Pulumi's mocks (tests/test_sdk/programs/)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.harness import REPO_ROOT

SDK = REPO_ROOT / "sdk"
SCHEMA_JSON = REPO_ROOT / "mgn_resources" / "plugin" / "schema.json"
PROGRAMS = Path(__file__).resolve().parent / "programs"
PROVIDER = "pulumi:providers:mgn"
S1, S2 = "s-00000000000000001", "s-00000000000000002"
#: The inputs the programs set: each resource must be registered with these and the schema's defaults, nothing else.
GIVEN: dict[str, dict[str, Any]] = {
    "mgn:index:Cutover": {"sourceServerIds": [S1, S2], "requireSuccessfulTest": True},
    "mgn:index:TestLaunch": {"sourceServerIds": [S1, S2]},
    "mgn:index:LaunchSettings": {"sourceServerId": S1, "instanceType": "t3.small"},
}


@pytest.fixture(scope="session")
def schema() -> dict[str, Any]:
    return dict(json.loads(SCHEMA_JSON.read_text(encoding="utf-8")))


def require_tool(name: str, what: str) -> str:
    """The path of the command ``name``; without it, skip when run by hand and fail in CI (as require_built)."""
    found = shutil.which(name)
    if found:
        return found
    message = f"no {name} on PATH: {what}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def assert_program_report(report: dict[str, Any], schema: dict[str, Any]) -> None:
    """A program of tests/test_sdk/programs/ ran under mocks: each resource registered with its camelCase inputs and
    the schema's defaults filled in by the SDK, its outputs read back typed, and a missing required input refused."""
    registered = report["registered"]
    assert set(registered) == {PROVIDER, *schema["resources"]}
    assert registered[PROVIDER] == {"region": "us-east-1", "endpointUrl": "http://127.0.0.1:9"}
    for token, given in GIVEN.items():
        properties = schema["resources"][token]["inputProperties"]
        defaults = {name: spec["default"] for name, spec in properties.items() if "default" in spec}
        assert registered[token] == defaults | given, token

    assert report["outputs"] == {
        "cutoverJobId": "mgnjob-cutover",
        "launchedInstanceIds": {S1: f"i-{S1}", S2: f"i-{S2}"},
        "firstInstanceId": f"i-{S1}",
        "testJobId": "mgnjob-test",
        "launchTemplateVersion": 2,
    }
    assert "sourceserverid" in report["missing"].lower(), report["missing"]
