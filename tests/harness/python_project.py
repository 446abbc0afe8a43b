"""Run a Python program on the generated Python SDK (sdk/python, ``import pulumi_mgn``) through scripts/pulumi and
the project's Python language host (make cli), with the provider plugin ``mgn`` on PATH as for a YAML program.

The SDK is pip-installed (no dependencies, no build isolation: nothing is downloaded) into the project's own
``site/`` folder, which is the program's PYTHONPATH: the SDK reads its version from its installed metadata, and the
checkout's .venv (linked into the project, as CliProject does) stays untouched.

    project = PythonProject.create_on_sdk(tmp_path, PROGRAM, config={"mgn:region": "us-east-1"})
    project.up()
    project.outputs()
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, ClassVar

from .cli import require_cli
from .host import REPO_ROOT
from .yaml_project import STACK, YamlProject

SDK_PYTHON = REPO_ROOT / "sdk" / "python"


class PythonProject(YamlProject):
    runtime: ClassVar[Any] = {"name": "python", "options": {"toolchain": "pip", "virtualenv": ".venv"}}

    @classmethod
    def create_on_sdk(cls, base: Path, main: str, *, config: dict[str, Any] | None = None) -> PythonProject:
        """A project whose ``__main__.py`` is ``main``, on the SDK in sdk/python."""
        require_cli()
        project = cls(base)
        project.make_folders()
        install_sdk(project.site_dir)
        (project.root / ".venv").symlink_to(REPO_ROOT / ".venv")
        (project.root / "__main__.py").write_text(main)
        project.write({}, config=config)
        project.pulumi("stack", "init", STACK, "--non-interactive")
        return project

    @property
    def site_dir(self) -> Path:
        return self.base / "site"

    def env(self) -> dict[str, str]:
        return {**super().env(), "PYTHONPATH": str(self.site_dir)}


def install_sdk(target: Path) -> None:
    """pip-install sdk/python into ``target``, from a copy: setuptools writes build/ and *.egg-info beside the
    sources, which would leave sdk/ different from what make sdk writes."""
    source = target.with_name(f"{target.name}-source")
    shutil.copytree(SDK_PYTHON, source)
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
               "--no-index", "--target", str(target), str(source)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False,
                            env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    if result.returncode != 0:
        raise AssertionError(f"pip install of {SDK_PYTHON} exited {result.returncode}:\n{result.stderr}")
