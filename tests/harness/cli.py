"""Drive the project's Pulumi program through the real pulumi CLI (make cli) and scripts/pulumi.

Each ``CliProject`` is a copy of the project in a temporary folder (the program and the package linked, its own
``stacks/`` and ``.local/``), so tests run side by side without touching the user's local stack:

    project = CliProject.create(tmp_path, emulator.url, waves=[{"name": "w", "sourceServerIds": [...]}])
    project.up()
    project.outputs()["job_ids"]
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from .host import REPO_ROOT

CLI_DIR = REPO_ROOT / ".local" / "pulumi" / "bin"
PULUMI = REPO_ROOT / "scripts" / "pulumi"
LOCAL_UP = REPO_ROOT / "scripts" / "local-up.sh"
LOCAL_DOWN = REPO_ROOT / "scripts" / "local-down.sh"
STACK = "local"
LINKED = ("__main__.py", "waves.py", "mgn_resources", ".venv")


def require_built(path: Path, what: str, target: str) -> None:
    """Skip without ``path`` (built by ``make target``) when run by hand; in CI (make test builds it first) a missing
    one fails."""
    if path.is_file():
        return
    message = f"no {what} in {path.parent}: run make {target}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def require_cli() -> None:
    require_built(CLI_DIR / "pulumi", "pulumi CLI", "cli")


@dataclass
class CliProject:
    root: Path
    endpoint_url: str

    @classmethod
    def create(
        cls, base: Path, endpoint_url: str, *, waves: list[dict[str, Any]], seed: dict[str, Any] | None = None
    ) -> CliProject:
        require_cli()
        root = base / "project"
        (root / "stacks").mkdir(parents=True)
        shutil.copy(REPO_ROOT / "Pulumi.yaml", root / "Pulumi.yaml")
        for name in LINKED:
            (root / name).symlink_to(REPO_ROOT / name)
        if seed is not None:
            (root / "stacks" / "local-seed.yaml").write_text(yaml.safe_dump(seed))
        project = cls(root, endpoint_url)
        project.configure(waves=waves)
        return project

    @property
    def stack_file(self) -> Path:
        return self.root / "stacks" / f"Pulumi.{STACK}.yaml"

    @property
    def local_dir(self) -> Path:
        return self.root / ".local"

    def configure(self, *, waves: list[dict[str, Any]] | None = None, **settings: Any) -> None:
        """Write the stack's config, keeping its encryptionsalt; ``settings`` are extra mgn-cutover: keys."""
        current = yaml.safe_load(self.stack_file.read_text()) if self.stack_file.exists() else {}
        config = dict(current.get("config") or {})
        config.setdefault("aws:region", "us-east-1")
        config["mgn-cutover:endpointUrl"] = self.endpoint_url
        if waves is not None:
            config["mgn-cutover:waves"] = waves
        config.update({f"mgn-cutover:{key}": value for key, value in settings.items()})
        self.stack_file.write_text(yaml.safe_dump({**current, "config": config}, sort_keys=False))

    def env(self) -> dict[str, str]:
        passed = {k: v for k, v in os.environ.items() if not k.startswith(("PULUMI_", "AWS_"))}
        return {**passed, "MGN_PROJECT_DIR": str(self.root), "LOCAL_DIR": str(self.local_dir)}

    def pulumi(self, *args: str, timeout: float = 300, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(PULUMI), *args], cwd=self.root, env=self.env(), capture_output=True, text=True, timeout=timeout,
            check=False,
        )
        if check and result.returncode != 0:
            command = " ".join(args)
            raise AssertionError(f"pulumi {command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
        return result

    def select(self) -> None:
        self.pulumi("stack", "select", "--create", STACK, "--non-interactive")

    def up(self, *extra: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return self.pulumi("up", "--yes", "--stack", STACK, "--non-interactive", *extra, check=check, timeout=timeout)

    def preview(self, *extra: str) -> subprocess.CompletedProcess[str]:
        return self.pulumi("preview", "--stack", STACK, "--non-interactive", *extra)

    def refresh(self) -> subprocess.CompletedProcess[str]:
        return self.pulumi("refresh", "--yes", "--stack", STACK, "--non-interactive")

    def destroy(self, *, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.pulumi("destroy", "--yes", "--stack", STACK, "--non-interactive", check=check)

    def outputs(self) -> dict[str, Any]:
        return dict(json.loads(self.pulumi("stack", "output", "--json", "--stack", STACK).stdout))

    def resources(self) -> list[dict[str, Any]]:
        """The stack's resources from `pulumi stack export`."""
        exported = json.loads(self.pulumi("stack", "export", "--stack", STACK).stdout)
        return list(exported["deployment"].get("resources") or [])

    def processes(self) -> dict[int, str]:
        """This project's processes: the CLI, its plugins, the program, an emulator local-up.sh started."""
        return processes_with_env(f"LOCAL_DIR={self.local_dir}")

    def kill_processes(self) -> None:
        for pid in self.processes():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def script(self, path: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run scripts/local-up.sh or local-down.sh on this project."""
        return subprocess.run(
            [str(path), *args], cwd=REPO_ROOT, env=self.env(), capture_output=True, text=True, timeout=timeout,
            check=False,
        )

    def start_in_own_group(self, path: Path, *args: str) -> subprocess.Popen[str]:
        """Start a script in a process group of its own, as a CI runner would, so it can be killed whole."""
        return subprocess.Popen(
            [str(path), *args], cwd=REPO_ROOT, env=self.env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, start_new_session=True,
        )


def kill_group(process: subprocess.Popen[str]) -> None:
    """SIGKILL a process and everything in its group, as a killed CI runner. pulumi's plugins have process
    groups of their own and live on: see ``CliProject.processes``."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def processes_with_env(entry: str) -> dict[int, str]:
    """pid -> command line of every process whose environment holds ``entry`` (``NAME=value``)."""
    wanted = entry.encode()
    found: dict[int, str] = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            environ = (proc / "environ").read_bytes().split(b"\0")
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        if wanted in environ and cmdline:
            found[int(proc.name)] = cmdline
    return found


def launches(calls: list[Any]) -> list[str]:
    """The launching calls in an emulator's call log."""
    return [c.operation for c in calls if c.operation in ("StartCutover", "StartTest") and c.status < 300]
