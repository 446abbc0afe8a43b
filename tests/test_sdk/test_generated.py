"""sdk/ holds what make sdk writes from mgn_resources/plugin/schema.json (tools/sdkgen, Pulumi's own generators):
each SDK named and versioned as the schema says, and regenerating changes nothing."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.harness import REPO_ROOT
from tests.harness.cli import require_built

from .conftest import SDK

GEN_SDK = REPO_ROOT / "scripts" / "gen-sdk.sh"
SDKGEN = REPO_ROOT / ".local" / "sdkgen" / "sdkgen"


def gen_sdk(*args: str, sdk_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    require_built(SDKGEN, "SDK generator", "sdkgen")
    env = None if sdk_dir is None else {**os.environ, "SDK_DIR": str(sdk_dir)}
    return subprocess.run([str(GEN_SDK), *args], capture_output=True, text=True, timeout=120, check=False, env=env)


def test_each_sdk_carries_the_schemas_package_name_and_version(schema: dict[str, Any]) -> None:
    version, language = schema["version"], schema["language"]
    plugin = {"resource": True, "name": "mgn", "version": version}

    package_json = json.loads((SDK / "nodejs" / "package.json").read_text())
    assert (package_json["name"], package_json["version"]) == (language["nodejs"]["packageName"], version)
    assert package_json["pulumi"] == plugin

    project = tomllib.loads((SDK / "python" / "pyproject.toml").read_text())["project"]
    assert (project["name"], project["version"]) == (language["python"]["packageName"], version)
    assert json.loads((SDK / "python" / "pulumi_mgn" / "pulumi-plugin.json").read_text()) == plugin

    go_mod = (SDK / "go" / "go.mod").read_text().splitlines()
    assert go_mod[0] == f"module {language['go']['importBasePath'].rsplit('/', 1)[0]}"
    assert json.loads((SDK / "go" / "mgn" / "pulumi-plugin.json").read_text()) == plugin


def test_each_sdk_declares_every_resource_of_the_schema(schema: dict[str, Any]) -> None:
    sources = {"python": "*.py", "nodejs": "*.ts", "go": "*.go"}
    for language, pattern in sources.items():
        text = "\n".join(path.read_text() for path in (SDK / language).rglob(pattern))
        missing = [token for token in schema["resources"] if f'"{token}"' not in text and f"'{token}'" not in text]
        assert not missing, f"sdk/{language} does not declare {missing}"


def test_the_generator_uses_the_clis_pulumi_modules() -> None:
    """tools/sdkgen's generators are those of the pulumi CLI the tests run (make cli), at the same pkg/v3 and sdk/v3."""

    def pins(module: str) -> dict[str, str]:
        text = (REPO_ROOT / "tools" / module / "go.mod").read_text()
        return dict(re.findall(r"^\s*(github\.com/pulumi/pulumi/(?:pkg|sdk)/v3) (v\S+)", text, flags=re.MULTILINE))

    assert pins("sdkgen") == pins("pulumi") and len(pins("pulumi")) == 2


@pytest.mark.slow
def test_regenerating_the_sdks_changes_nothing() -> None:
    checked = gen_sdk("--check")
    assert checked.returncode == 0, checked.stderr


@pytest.mark.slow
def test_the_check_names_each_file_a_regeneration_would_change(tmp_path: Path) -> None:
    stale = tmp_path / "sdk"
    shutil.copytree(SDK, stale)
    (stale / "nodejs" / "cutover.ts").write_text("// edited by hand\n")
    (stale / "python" / "pulumi_mgn" / "stray.py").write_text("")
    (stale / "go" / "mgn" / "doc.go").unlink()

    checked = gen_sdk("--check", sdk_dir=stale)

    assert checked.returncode == 1
    assert "is out of date with mgn_resources/plugin/schema.json: run make sdk" in checked.stderr
    assert "nodejs/cutover.ts" in checked.stderr and "Only in python/pulumi_mgn: stray.py" in checked.stderr
    assert "Only in (generated) go/mgn: doc.go" in checked.stderr
    assert (stale / "nodejs" / "cutover.ts").read_text() == "// edited by hand\n"  # --check writes nothing
