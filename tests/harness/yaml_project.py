"""Run a Pulumi YAML program (``runtime: yaml``) that uses the provider plugin ``mgn`` through scripts/pulumi.

Each project lives in a temporary folder of its own: the program, its file backend and PULUMI_HOME (``.local/``),
and a ``bin/`` folder holding only a link ``pulumi-resource-mgn`` to the checkout's wrapper, put first on PATH so the
engine finds the plugin as an ambient one (scripts/pulumi turns plugin downloads off and keeps the caller's PATH
after its own folder). The repository's ``scripts/`` folder is never on PATH: its ``pulumi`` would shadow the CLI.

    project = YamlProject.create(tmp_path, {"resources": {...}, "outputs": {...}}, config={"mgn:region": "us-east-1"})
    project.up()
    project.outputs()
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import yaml

from .cli import CLI_DIR, PULUMI, require_built, require_cli
from .host import REPO_ROOT

YAML_HOST = CLI_DIR / "pulumi-language-yaml"
PLUGIN = REPO_ROOT / "scripts" / "pulumi-resource-mgn"
PROJECT = "mgn-yaml"
STACK = "dev"


class _NoAliases(yaml.SafeDumper):
    """Writes a mapping used twice in a program twice: Pulumi YAML refuses anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def require_yaml_host() -> None:
    require_cli()
    require_built(YAML_HOST, "YAML language host", "yaml-host")


@dataclass
class YamlProject:
    base: Path
    #: Pulumi.yaml's runtime (tests/harness/python_project.py runs Python programs on the same layout).
    runtime: ClassVar[Any] = "yaml"

    @classmethod
    def create(cls, base: Path, program: dict[str, Any], *, config: dict[str, Any] | None = None) -> YamlProject:
        require_yaml_host()
        project = cls(base)
        project.make_folders()
        project.write(program, config=config)
        project.pulumi("stack", "init", STACK, "--non-interactive")
        return project

    def make_folders(self) -> None:
        """The project's folder and its ``bin/`` with the plugin."""
        self.root.mkdir(parents=True)
        self.bin_dir.mkdir()
        (self.bin_dir / PLUGIN.name).symlink_to(PLUGIN)

    @property
    def root(self) -> Path:
        return self.base / "project"

    @property
    def local_dir(self) -> Path:
        return self.base / ".local"

    @property
    def bin_dir(self) -> Path:
        return self.base / "bin"

    def write(self, program: dict[str, Any], *, config: dict[str, Any] | None = None) -> None:
        """The project's Pulumi.yaml (``program``'s resources, outputs, ...) and, if given, the stack's config."""
        document = {"name": PROJECT, "runtime": self.runtime, **program}
        (self.root / "Pulumi.yaml").write_text(yaml.dump(document, Dumper=_NoAliases, sort_keys=False))
        if config is not None:
            (self.root / f"Pulumi.{STACK}.yaml").write_text(json.dumps({"config": config}))

    def env(self) -> dict[str, str]:
        # None of the caller's pulumi or AWS settings: a stack other than `local` brings its own passphrase, and the
        # plugin gets the emulator's dummy credentials, no profile, no shared files and no instance metadata.
        passed = {k: v for k, v in os.environ.items() if not k.startswith(("PULUMI_", "AWS_"))}
        nowhere = self.base / "no-aws-config"
        return {
            **passed,
            "PATH": f"{self.bin_dir}{os.pathsep}{passed.get('PATH', os.defpath)}",
            "MGN_PROJECT_DIR": str(self.root),
            "LOCAL_DIR": str(self.local_dir),
            "PULUMI_CONFIG_PASSPHRASE": "",
            "AWS_ACCESS_KEY_ID": "mgn-emulator",
            "AWS_SECRET_ACCESS_KEY": "mgn-emulator",
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": str(nowhere / "config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(nowhere / "credentials"),
        }

    def pulumi(self, *args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(PULUMI), *args], cwd=self.root, env=self.env(), capture_output=True, text=True, timeout=timeout,
            check=False,
        )
        if check and result.returncode != 0:
            command = " ".join(args)
            raise AssertionError(f"pulumi {command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
        return result

    def start(self, *args: str) -> subprocess.Popen[str]:
        """``pulumi ARGS`` running, in a session (so a process group) of its own, as a terminal runs a command: its
        output (stdout and stderr together) from ``communicate()``."""
        return subprocess.Popen(
            [str(PULUMI), *args], cwd=self.root, env=self.env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, start_new_session=True,
        )

    def preview(self, *extra: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.pulumi("preview", "--stack", STACK, "--non-interactive", *extra, check=check)

    def up(self, *extra: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.pulumi("up", "--yes", "--stack", STACK, "--non-interactive", *extra, check=check)

    def refresh(self) -> subprocess.CompletedProcess[str]:
        return self.pulumi("refresh", "--yes", "--stack", STACK, "--non-interactive")

    def destroy(self) -> subprocess.CompletedProcess[str]:
        return self.pulumi("destroy", "--yes", "--stack", STACK, "--non-interactive")

    def outputs(self) -> dict[str, Any]:
        return dict(json.loads(self.pulumi("stack", "output", "--json", "--stack", STACK).stdout))

    def resources(self) -> list[dict[str, Any]]:
        """The stack's resources from `pulumi stack export`."""
        exported = json.loads(self.pulumi("stack", "export", "--stack", STACK).stdout)
        return list(exported["deployment"].get("resources") or [])

    def changes(self) -> list[dict[str, int]]:
        """Each update's resource changes, the newest first."""
        history = json.loads(self.pulumi("stack", "history", "--json", "--stack", STACK).stdout)
        return [entry.get("resourceChanges") or {} for entry in history]
