"""Moving a stack from the dynamic resources to the plugin, as the README's "From the dynamic resources to the plugin"
says: drop the dynamic resource from the state, declare the plugin's with the `import` option set to its job ID,
`pulumi up`; nothing launches again, and the next up, without the option, is a no-op. Through the real CLI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mgn_emulator import EmulatorServer
from tests.harness import REPO_ROOT
from tests.harness.python_project import PythonProject
from tests.harness.yaml_project import PROJECT, STACK
from tests.test_e2e.test_cli_per_server import started

from .conftest import PROGRAMS, S1, S2

pytestmark = pytest.mark.e2e

MIGRATION = PROGRAMS / "migration"


class CheckoutProject(PythonProject):
    """A program that imports both the generated SDK and this checkout's mgn_resources (the dynamic resources)."""

    def env(self) -> dict[str, str]:
        env = super().env()
        return {**env, "PYTHONPATH": f"{env['PYTHONPATH']}{os.pathsep}{REPO_ROOT}"}


def test_a_dynamic_cutover_moves_to_the_plugin_by_import_with_no_second_launch(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    config = {"aws:region": "us-east-1", f"{PROJECT}:endpointUrl": emulator.url, f"{PROJECT}:servers": [S1, S2]}
    project = CheckoutProject.create_on_sdk(tmp_path, (MIGRATION / "dynamic.py").read_text(), config=config)
    project.up()
    before = project.outputs()
    (dynamic,) = [r for r in project.resources() if r["type"] == "pulumi-python:dynamic/mgn:Cutover"]

    project.pulumi("state", "delete", dynamic["urn"], "--yes", "--stack", STACK)
    (project.root / "__main__.py").write_text((MIGRATION / "plugin.py").read_text())
    project.write({}, config={**config, f"{PROJECT}:importJobId": before["jobId"]})
    imported = project.up()

    assert started(emulator) == [[S1, S2]], imported.stdout
    (cutover,) = [r for r in project.resources() if r["type"] == "mgn:index:Cutover"]
    assert cutover["id"] == before["jobId"]
    assert project.outputs() == before

    project.write({}, config=config)  # the import option has done its work
    again = project.up("--expect-no-changes")
    assert started(emulator) == [[S1, S2]], again.stdout
    assert project.outputs() == before
