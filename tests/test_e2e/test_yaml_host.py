"""A Pulumi YAML program (``runtime: yaml``) runs through scripts/pulumi on Pulumi's YAML language host (make
yaml-host).

The program registers no resource: its outputs come from config (with a default), a variable and ``fn::join``, so no
plugin other than ``pulumi-language-yaml`` is needed. Each test has its own project, file backend and PULUMI_HOME
in a temporary folder; plugin downloads stay off, so the host can only come from the CLI's folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.harness.yaml_project import PROJECT, YamlProject

pytestmark = pytest.mark.e2e

PROGRAM: dict[str, Any] = {
    "description": "A resource-free YAML program, run by the project's CLI through pulumi-language-yaml.",
    "config": {"greeting": {"type": "string", "default": "hello"}},
    "variables": {"words": ["${greeting}", "from", "yaml"]},
    "outputs": {"greeting": "${greeting}", "sentence": {"fn::join": [" ", "${words}"]}, "answer": 42},
}


def project_with(base: Path, config: dict[str, Any]) -> YamlProject:
    return YamlProject.create(base, PROGRAM, config={f"{PROJECT}:{key}": value for key, value in config.items()})


def test_a_yaml_program_goes_up_with_its_config_and_a_second_up_changes_nothing(tmp_path: Path) -> None:
    project = project_with(tmp_path, {"greeting": "bonjour"})

    first = project.up()
    assert "+ 1 created" in first.stdout
    assert "warning" not in first.stderr.lower(), first.stderr  # e.g. "using pulumi-language-yaml from $PATH at ..."
    expected = {"greeting": "bonjour", "sentence": "bonjour from yaml", "answer": 42}
    assert project.outputs() == expected

    project.up("--expect-no-changes")
    assert project.changes() == [{"same": 1}, {"create": 1}]
    assert project.outputs() == expected


def test_a_yaml_program_falls_back_to_its_config_default(tmp_path: Path) -> None:
    project = project_with(tmp_path, {})
    project.up()
    assert project.outputs() == {"greeting": "hello", "sentence": "hello from yaml", "answer": 42}
