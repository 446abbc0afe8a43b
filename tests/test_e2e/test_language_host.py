"""The project's Python language host (tools/pulumi/languagehost) answers the engine's About with the program's own
interpreter: its path in the project's virtualenv and its version."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from tests.harness.cli import STACK, CliProject

pytestmark = pytest.mark.e2e


def test_about_names_the_programs_interpreter_and_its_version(tmp_path: Any, emulator: EmulatorServer) -> None:
    project = CliProject.create(tmp_path, emulator.url, waves=[])
    project.select()
    about = json.loads(project.pulumi("about", "--json", "--stack", STACK).stdout)
    interpreter = project.root / ".venv" / "bin" / "python"
    expected = subprocess.run(
        [str(interpreter), "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert about["runtime"] == {"executable": str(interpreter), "language": "python", "version": expected}
