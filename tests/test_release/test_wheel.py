"""The package as a user's project gets it: build the wheel, install it into a fresh venv outside the repository,
run `mgn-emulator`, and deploy a separate Pulumi project's `Cutover` with the installed copy through the pinned
pulumi CLI (`make cli`), the project's runtime ``virtualenv`` being that venv.

The fresh venv gets only the wheel; a ``.pth`` file lends it the dependencies already installed in the test
venv (pulumi, boto3, PyYAML, grpc), so the test stays fast and needs no network.
"""

from __future__ import annotations

import email.message
import email.parser
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml
from packaging.requirements import Requirement

import mgn_resources
from tests.harness.cli import CLI_DIR, PULUMI, STACK, require_cli

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
USER_PROJECT = HERE / "user_project"
RUNTIME_DEPENDENCIES = {"pulumi", "boto3", "botocore", "pyyaml"}
SUBPROCESS_TIMEOUT = 180
NO_AWS_FILES = ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_EC2_METADATA_DISABLED")
# With PYTHONVERBOSE an interpreter names each module file it loads: which copy of mgn_resources served the
# stack, and where the dynamic-provider host (`python -m pulumi.dynamic`) took the SDK from.
LOADED_FROM = re.compile(r"(/[^\s'\"]*?)/mgn_resources/")
PROVIDER_HOST = re.compile(r"(/[^\s'\"]*?/pulumi)/dynamic/__main__\.py")
IMPORT_TRACE = re.compile(r"(?:^|\s)(?:# |import \S+ # |Processing |Adding directory: )")


def user_env() -> dict[str, str]:
    """The environment of a shell in the user's project: nothing that points Python at this repository."""
    dropped = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSAFEPATH")
    env = {k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("AWS_")}
    env["PYTHONNOUSERSITE"] = "1"
    return env


def run(args: Sequence[str | Path], cwd: Path, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=kwargs.pop("env", user_env()),
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
        **kwargs,
    )
    assert done.returncode == 0, f"{args} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


def copy_checkout(target: Path) -> None:
    """The files a clone with this work tree's changes holds (git's tracked and not-ignored files), links kept."""
    listed = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO).stdout
    for name in filter(None, listed.split("\0")):
        path = REPO / name
        if not path.is_symlink() and not path.is_file():
            continue  # deleted in the work tree
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target / name, follow_symlinks=False)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``pip wheel .`` as ``pip install .`` runs it, on a copy: pip builds in the source folder (egg-info, build/)."""
    work = tmp_path_factory.mktemp("build")
    source = work / "mgn-cutover"
    copy_checkout(source)
    run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "--wheel-dir"]
        + [work / "dist", source],
        cwd=work,
    )
    (built,) = (work / "dist").glob("*.whl")
    return built


@pytest.fixture(scope="module")
def user_venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv outside the repository with the wheel installed (``pip install --no-deps`` of the file)."""
    venv = tmp_path_factory.mktemp("user") / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=venv.parent)
    python = venv / "bin" / "python"
    site = purelib(venv)
    lent = sysconfig.get_paths()["purelib"]  # the test venv's site-packages: dependencies only, no mgn_resources
    (site / "zz_lent_dependencies.pth").write_text(f"import site; site.addsitedir({lent!r})\n")
    run([python, "-m", "pip", "install", "--no-deps", "--no-index", wheel], cwd=venv.parent)
    return venv


def purelib(venv: Path) -> Path:
    """The venv's site-packages, as its own interpreter names it."""
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return Path(run([venv / "bin" / "python", "-c", code], cwd=venv).stdout.strip())


def wheel_metadata(wheel: Path) -> tuple[list[str], email.message.Message, str]:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        metadata = email.parser.Parser().parsestr(archive.read(f"{info}/METADATA").decode())
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
    return names, metadata, entry_points


@pytest.mark.slow
def test_the_wheel_holds_the_library_and_the_emulator_with_version_dependencies_and_license(wheel: Path) -> None:
    names, metadata, entry_points = wheel_metadata(wheel)

    packages = {"mgn_resources", "mgn_emulator"}
    assert {n.split("/")[0] for n in names} == {*packages, f"mgn_cutover-{mgn_resources.__version__}.dist-info"}
    sources = {p.relative_to(REPO).as_posix() for package in packages for p in (REPO / package).rglob("*.py")}
    assert sources - set(names) == set(), "modules missing from the wheel"
    assert {n for n in names if n.endswith(".py")} == sources, "files in the wheel that are not the packages' modules"
    assert {"mgn_resources/py.typed", "mgn_resources/cutover-policy.json"} <= set(names)
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("mgn_resources/cutover-policy.json") == (REPO / "iam" / "cutover-policy.json").read_bytes()

    assert metadata["Name"] == "mgn-cutover"
    assert metadata["Version"] == mgn_resources.__version__
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata["Requires-Python"] == ">=3.11"
    requirements = [Requirement(r) for r in metadata.get_all("Requires-Dist") or []]
    runtime = [r for r in requirements if r.marker is None]
    assert {r.name.lower() for r in runtime} == RUNTIME_DEPENDENCIES  # not pulumi-aws: the library never uses it
    # moto only with the `emulator` extra: the emulator's EC2 (mgn_resources never imports mgn_emulator)
    assert {r.name.lower() for r in requirements if r not in runtime} == {"moto"}
    assert metadata.get_all("Provides-Extra") == ["emulator"]
    for requirement in requirements:
        operators = {s.operator for s in requirement.specifier}
        assert {">=", "<"} <= operators, f"{requirement} needs a range"
    assert "mgn-emulator = mgn_emulator.__main__:main" in entry_points


@pytest.mark.slow
def test_the_installed_package_imports_from_the_venv_with_its_dependencies_met(user_venv: Path, tmp_path: Path) -> None:
    python = user_venv / "bin" / "python"
    probe = (
        "import json, mgn_emulator, mgn_resources\n"
        "from importlib.resources import files\n"
        "from mgn_resources import Cutover, CutoverProvider, TestLaunch\n"
        "print(json.dumps({'file': mgn_resources.__file__, 'emulator': mgn_emulator.__file__,\n"
        "    'version': mgn_resources.__version__,\n"
        "    'all': sorted(mgn_resources.__all__),\n"
        "    'policy': files('mgn_resources').joinpath('cutover-policy.json').read_text(),\n"
        "    'typed': files('mgn_resources').joinpath('py.typed').is_file()}))\n"
    )
    found = json.loads(run([python, "-c", probe], cwd=tmp_path).stdout)

    assert Path(found["file"]).is_relative_to(user_venv)
    assert Path(found["emulator"]).is_relative_to(user_venv)
    assert found["version"] == mgn_resources.__version__
    assert found["all"] == sorted(mgn_resources.__all__)
    assert found["policy"] == (REPO / "iam" / "cutover-policy.json").read_text()
    assert found["typed"]
    # pip check reads the wheel's Requires-Dist against what is installed (the lent dependencies included).
    checked = subprocess.run(
        [python, "-m", "pip", "check"], cwd=tmp_path, env=user_env(), capture_output=True, text=True, timeout=120
    )
    assert not [line for line in checked.stdout.splitlines() if line.lower().startswith("mgn-cutover")], checked.stdout


@pytest.mark.slow
def test_mgn_emulator_console_script_helps_and_refuses_a_bad_flag(user_venv: Path, tmp_path: Path) -> None:
    emulator = user_venv / "bin" / "mgn-emulator"

    helped = run([emulator, "--help"], cwd=tmp_path)
    assert helped.stdout.startswith("usage: mgn-emulator")
    assert all(flag in helped.stdout for flag in ("--host", "--port", "--seed", "--state", "--launch-seconds"))

    refused = subprocess.run(
        [emulator, "--port", "x"], cwd=tmp_path, env=user_env(), capture_output=True, text=True, timeout=60
    )
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == ["mgn-emulator: error: argument --port: not a port number: 'x'"]


@pytest.fixture
def installed_emulator(user_venv: Path, tmp_path: Path) -> Iterator[str]:
    """The installed `mgn-emulator` on a free port with the user project's seed; yields its URL."""
    command: list[str | Path] = [user_venv / "bin" / "mgn-emulator", "--seed", USER_PROJECT / "emulator-seed.yaml"]
    process = subprocess.Popen(
        command + ["--port", "0", "--launch-seconds", "0.3", "--post-launch-seconds", "0.1"],
        cwd=tmp_path,
        env=user_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("MGN emulator listening on http://127.0.0.1:"), line
        yield line.strip().rsplit(" ", 1)[1]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


@dataclass(frozen=True)
class UserStack:
    """The user's project run by the pinned pulumi CLI through scripts/pulumi: its own file backend and
    PULUMI_HOME under ``local``, stack ``local`` (dummy credentials), the MGN endpoint from the environment."""

    project: Path
    local: Path
    endpoint_url: str

    def pulumi(self, *args: str, verbose: bool = False) -> str:
        env = {k: v for k, v in user_env().items() if not k.startswith("PULUMI_")}
        env.update({k: os.environ[k] for k in NO_AWS_FILES})  # set by tests/conftest.py: no real AWS settings
        env.update(MGN_PROJECT_DIR=str(self.project), LOCAL_DIR=str(self.local), AWS_ENDPOINT_URL_MGN=self.endpoint_url)
        if verbose:  # every interpreter the CLI starts (program, provider host) names each module file it loads
            env["PYTHONVERBOSE"] = "1"
        done = subprocess.run(
            [str(PULUMI), *args, "--non-interactive"],
            cwd=self.project,
            env=env,
            capture_output=True,
            text=True,
            timeout=SUBPROCESS_TIMEOUT,
            check=False,
        )
        if done.returncode != 0:
            lines = (done.stdout + done.stderr).splitlines()
            output = "\n".join(line for line in lines if not IMPORT_TRACE.search(line))
            raise AssertionError(f"pulumi {' '.join(args)} exited {done.returncode}:\n{output}")
        return done.stdout


def roots(pattern: re.Pattern[str], output: str) -> set[Path]:
    return {Path(p) for p in pattern.findall(output)}


@pytest.fixture
def user_stack(user_venv: Path, installed_emulator: str, tmp_path: Path) -> UserStack:
    """A copy of the user's project whose Pulumi.yaml runtime ``virtualenv`` is the fresh venv."""
    require_cli()
    project = tmp_path / "payments-migration"
    shutil.copytree(USER_PROJECT, project)
    settings = yaml.safe_load((project / "Pulumi.yaml").read_text())
    settings["runtime"]["options"]["virtualenv"] = str(user_venv)
    (project / "Pulumi.yaml").write_text(yaml.safe_dump(settings, sort_keys=False))
    return UserStack(project, tmp_path / "local", installed_emulator)


@pytest.mark.e2e
def test_a_users_program_declares_a_cutover_served_by_the_installed_wheel(
    user_stack: UserStack, user_venv: Path, installed_emulator: str
) -> None:
    python = user_venv / "bin" / "python"
    probe = "import json, pulumi, importlib.metadata as m; print(json.dumps([pulumi.__path__[0], m.version('pulumi')]))"
    sdk_dir, sdk_version = json.loads(run([python, "-c", probe], cwd=user_stack.project).stdout)
    assert f"v{sdk_version}" == run([CLI_DIR / "pulumi", "version"], cwd=user_stack.project).stdout.strip()

    user_stack.pulumi("stack", "select", "--create", STACK)
    user_stack.pulumi("config", "set", "aws:region", "us-east-1", "--stack", STACK)
    up = user_stack.pulumi("up", "--yes", "--stack", STACK, verbose=True)
    exports = json.loads(user_stack.pulumi("stack", "output", "--json", "--stack", STACK))
    destroy = user_stack.pulumi("destroy", "--yes", "--stack", STACK, verbose=True)
    state = json.loads(user_stack.pulumi("stack", "export", "--stack", STACK))

    # Every mgn_resources file any interpreter loaded (the program's and the provider host's) is the installed
    # copy; destroy runs no program, only the provider host (the venv's python, `-m pulumi.dynamic` of the venv's
    # SDK), which loads the provider that state names from the same copy.
    installed = purelib(user_venv)
    assert roots(LOADED_FROM, up) == {installed}
    assert roots(PROVIDER_HOST, up) == {Path(sdk_dir)}
    assert roots(LOADED_FROM, destroy) == {installed}
    assert f"Adding directory: '{installed}'" in destroy  # site's own site-packages: the venv's interpreter
    assert roots(PROVIDER_HOST, destroy) == {Path(sdk_dir)}
    assert "2 deleted" in destroy and not state["deployment"].get("resources")

    job_id = exports["job_id"]
    assert job_id.startswith("mgnjob-")
    assert len(exports["instance_ids"]) == 2
    mgn = boto3.client(
        "mgn",
        endpoint_url=installed_emulator,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    (job,) = mgn.describe_jobs(filters={"jobIDs": [job_id]})["items"]
    assert job["type"] == "LAUNCH" and job["status"] == "COMPLETED"
    launched = {s["sourceServerID"]: s["launchedEc2InstanceID"] for s in job["participatingServers"]}
    assert sorted(launched.values()) == sorted(exports["instance_ids"])
