"""The Go SDK (sdk/go, module github.com/mgn-cutover/mgn-cutover/sdk/go) builds against github.com/pulumi/pulumi/sdk/v3
at the CLI's version: a program on it passes go vet and, under Pulumi's Go mocks, gets the inputs and outputs the
schema names."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.harness import REPO_ROOT

from .conftest import PROGRAMS, SDK, assert_program_report, require_tool

pytestmark = pytest.mark.slow

# The pulumi Go SDK at the version of the CLI (make cli) and the Python SDK (requirements.txt).
PULUMI_SDK = "github.com/pulumi/pulumi/sdk/v3 v3.260.0"
GO_MOD = f"""module example.com/mgn-sdk-program

go 1.26

require (
\tgithub.com/mgn-cutover/mgn-cutover/sdk/go v0.0.0
\t{PULUMI_SDK}
)

replace github.com/mgn-cutover/mgn-cutover/sdk/go => {SDK / "go"}
"""
# Checksums of every module the program can need: the tools modules' go.sum (no checksum database is asked).
GO_SUMS = (REPO_ROOT / "tools" / "pulumi" / "go.sum", REPO_ROOT / "tools" / "sdkgen" / "go.sum")


def go(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # -mod=mod: go.mod gets the indirect requirements it needs (a `go mod tidy` would also fetch the modules of the
    # dependencies' own tests).
    env = {**os.environ, "GOWORK": "off", "GOFLAGS": "-mod=mod"}
    result = subprocess.run(["go", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, f"go {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


def test_the_pinned_pulumi_go_sdk_is_the_clis() -> None:
    assert f"\t{PULUMI_SDK}\n" in (REPO_ROOT / "tools" / "pulumi" / "go.mod").read_text()


def test_a_go_program_on_the_sdk_vets_and_runs_under_mocks(tmp_path: Path, schema: dict[str, Any]) -> None:
    require_tool("go", "Go builds the Go SDK's test program")
    shutil.copy(PROGRAMS / "go" / "main.go", tmp_path / "main.go")
    (tmp_path / "go.mod").write_text(GO_MOD)
    sums = {line for path in GO_SUMS for line in path.read_text().splitlines(keepends=True)}
    (tmp_path / "go.sum").write_text("".join(sorted(sums)))

    go("vet", ".", cwd=tmp_path)
    printed = go("run", ".", cwd=tmp_path).stdout
    assert_program_report(json.loads(printed.strip().splitlines()[-1]), schema)
