"""A Pulumi YAML program (``runtime: yaml``) runs through scripts/pulumi on Pulumi's YAML language host (make
yaml-host).

The program registers no resource: its outputs come from config (with a default), a variable and ``fn::join``, so no
plugin other than ``pulumi-language-yaml`` is needed. Each test has its own project, file backend and PULUMI_HOME
in a temporary folder; plugin downloads stay off, so the host can only come from the CLI's folder.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.harness.cli import CLI_DIR, PULUMI, require_cli

pytestmark = pytest.mark.e2e

YAML_HOST = CLI_DIR / "pulumi-language-yaml"
PROJECT = "yaml-host-check"
STACK = "dev"

PROGRAM = f"""\
name: {PROJECT}
runtime: yaml
description: A resource-free YAML program, run by the project's CLI through pulumi-language-yaml.
config:
  greeting:
    type: string
    default: hello
variables:
  words:
    - ${{greeting}}
    - from
    - yaml
outputs:
  greeting: ${{greeting}}
  sentence:
    fn::join:
      - " "
      - ${{words}}
  answer: 42
"""


def require_yaml_host() -> None:
    """Skip without the YAML host when run by hand; in CI (make test builds it first) a missing host fails."""
    require_cli()
    if YAML_HOST.is_file():
        return
    message = f"no YAML language host in {CLI_DIR}: run make yaml-host"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


class YamlProject:
    def __init__(self, base: Path, config: dict[str, Any]) -> None:
        require_yaml_host()
        self.root = base / "project"
        self.local_dir = base / ".local"
        self.root.mkdir(parents=True)
        (self.root / "Pulumi.yaml").write_text(PROGRAM)
        settings = {f"{PROJECT}:{key}": value for key, value in config.items()}
        (self.root / f"Pulumi.{STACK}.yaml").write_text(json.dumps({"config": settings}))
        self.pulumi("stack", "init", STACK, "--non-interactive")

    def env(self) -> dict[str, str]:
        # None of the caller's pulumi or AWS settings; a stack other than `local` brings its own passphrase.
        passed = {k: v for k, v in os.environ.items() if not k.startswith(("PULUMI_", "AWS_"))}
        local = {"MGN_PROJECT_DIR": str(self.root), "LOCAL_DIR": str(self.local_dir), "PULUMI_CONFIG_PASSPHRASE": ""}
        return {**passed, **local}

    def pulumi(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(PULUMI), *args], cwd=self.root, env=self.env(), capture_output=True, text=True, timeout=300,
            check=False,
        )
        if result.returncode != 0:
            command = " ".join(args)
            raise AssertionError(f"pulumi {command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
        return result

    def up(self, *extra: str) -> subprocess.CompletedProcess[str]:
        return self.pulumi("up", "--yes", "--stack", STACK, "--non-interactive", *extra)

    def outputs(self) -> dict[str, Any]:
        return dict(json.loads(self.pulumi("stack", "output", "--json", "--stack", STACK).stdout))

    def changes(self) -> list[dict[str, int]]:
        """Each update's resource changes, the newest first."""
        history = json.loads(self.pulumi("stack", "history", "--json", "--stack", STACK).stdout)
        return [entry["resourceChanges"] for entry in history]


def test_a_yaml_program_goes_up_with_its_config_and_a_second_up_changes_nothing(tmp_path: Path) -> None:
    project = YamlProject(tmp_path, {"greeting": "bonjour"})

    first = project.up()
    assert "+ 1 created" in first.stdout
    assert "warning" not in first.stderr.lower(), first.stderr  # e.g. "using pulumi-language-yaml from $PATH at ..."
    expected = {"greeting": "bonjour", "sentence": "bonjour from yaml", "answer": 42}
    assert project.outputs() == expected

    project.up("--expect-no-changes")
    assert project.changes() == [{"same": 1}, {"create": 1}]
    assert project.outputs() == expected


def test_a_yaml_program_falls_back_to_its_config_default(tmp_path: Path) -> None:
    project = YamlProject(tmp_path, {})
    project.up()
    assert project.outputs() == {"greeting": "hello", "sentence": "hello from yaml", "answer": 42}
