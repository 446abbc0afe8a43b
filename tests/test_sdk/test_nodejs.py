"""The TypeScript SDK (sdk/nodejs) type-checks with tsc against @pulumi/pulumi from npm (make sdk-node), and a
TypeScript program on it gets, under Pulumi's Node.js mocks, the inputs and outputs the schema names."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.harness import REPO_ROOT
from tests.harness.cli import require_built

from .conftest import PROGRAMS, SDK, assert_program_report, require_tool

pytestmark = pytest.mark.slow

SDK_NODE = REPO_ROOT / ".local" / "sdk-node"
TSC = SDK_NODE / "node_modules" / ".bin" / "tsc"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The program beside a copy of sdk/nodejs (./mgn), with make sdk-node's node_modules linked in, so tsc and node
    find @pulumi/pulumi from both."""
    require_built(SDK_NODE / ".installed", "TypeScript toolchain", "sdk-node")
    require_tool("node", "Node.js runs the TypeScript SDK's test program")
    work = tmp_path_factory.mktemp("sdk-node")
    shutil.copytree(PROGRAMS / "nodejs", work, dirs_exist_ok=True)
    shutil.copytree(SDK / "nodejs", work / "mgn")
    (work / "node_modules").symlink_to(SDK_NODE / "node_modules")
    yield work


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


def test_the_typescript_sdk_type_checks_with_its_own_tsconfig(workspace: Path) -> None:
    run([str(TSC), "--project", "mgn/tsconfig.json", "--noEmit"], workspace)


def test_a_typescript_program_gets_camelcase_inputs_with_defaults_and_typed_outputs_under_mocks(
    workspace: Path, schema: dict[str, Any]
) -> None:
    run([str(TSC), "--project", "tsconfig.json"], workspace)  # strict; its @ts-expect-error lines must each fail
    printed = run(["node", "index.js"], workspace).stdout
    assert_program_report(json.loads(printed.strip().splitlines()[-1]), schema)
