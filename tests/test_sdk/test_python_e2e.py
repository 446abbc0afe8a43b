"""A Python program on the generated Python SDK (sdk/python, ``import pulumi_mgn``) cuts over through the real pulumi
CLI, the project's Python language host and the provider plugin ``mgn`` on PATH, against the emulator."""

from __future__ import annotations

from pathlib import Path

import pytest

from mgn_emulator import EmulatorServer
from tests.harness.python_project import PythonProject
from tests.harness.yaml_project import PROJECT
from tests.test_e2e.test_cli_per_server import assert_one_running_instance_each, started

from .conftest import PROGRAMS, S1, S2

pytestmark = pytest.mark.e2e


def test_a_python_program_on_the_sdk_cuts_over_once_and_a_second_up_is_a_no_op(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    config = {f"{PROJECT}:endpointUrl": emulator.url, f"{PROJECT}:servers": [S1, S2]}
    project = PythonProject.create_on_sdk(tmp_path, (PROGRAMS / "python" / "__main__.py").read_text(), config=config)

    up = project.up()

    assert started(emulator) == [[S1, S2]], up.stdout
    outputs = project.outputs()
    assert outputs["jobId"].startswith("mgnjob-")
    (cutover,) = [r for r in project.resources() if r["type"] == "mgn:index:Cutover"]
    assert cutover["id"] == outputs["jobId"]
    assert outputs["servers"] == outputs["instances"]
    assert_one_running_instance_each(emulator, outputs["instances"], (S1, S2))

    again = project.up("--expect-no-changes")
    assert started(emulator) == [[S1, S2]], again.stdout
    assert project.changes()[0] == {"same": 3}, again.stdout  # the stack, the provider and the cutover
    assert project.outputs() == outputs

    project.destroy()
    assert project.resources() == []
