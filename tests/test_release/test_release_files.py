"""Release hygiene: one version, the license, the changelog, the library's dependencies and its shipped policy."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

import mgn_resources

REPO = Path(__file__).resolve().parents[2]


def pyproject() -> dict:  # type: ignore[type-arg]
    with open(REPO / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)


def test_the_version_has_one_source_the_package_attribute() -> None:
    config = pyproject()
    assert "version" not in config["project"] and "version" in config["project"]["dynamic"]
    assert config["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "mgn_resources.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", mgn_resources.__version__)


def test_the_changelog_states_semver_and_has_this_version() -> None:
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "Semantic Versioning" in changelog
    assert re.search(rf"^## {re.escape(mgn_resources.__version__)}\b", changelog, re.MULTILINE)
    assert "mgn_resources.provider.cutover.CutoverProvider" in changelog  # the import path stacks store


def test_the_license_is_the_full_apache_2_text() -> None:
    text = " ".join((REPO / "LICENSE").read_text(encoding="utf-8").split())
    assert text.startswith("Apache License Version 2.0, January 2004 http://www.apache.org/licenses/")
    assert "END OF TERMS AND CONDITIONS" in text and len(text) > 10_000
    assert pyproject()["project"]["license"] == "Apache-2.0"


def test_the_library_needs_what_the_program_installs_but_not_pulumi_aws() -> None:
    library = [Requirement(r) for r in pyproject()["project"]["dependencies"]]
    program = _requirements(REPO / "requirements.txt")
    assert {r.name.lower() for r in library} == {"pulumi", "boto3", "botocore", "pyyaml"}
    for requirement in library:
        assert requirement.name.lower() in program, f"requirements.txt lacks {requirement.name}"
        pinned = [s.version for s in program[requirement.name.lower()].specifier if s.operator == "=="]
        assert all(requirement.specifier.contains(v) for v in pinned), f"{program[requirement.name.lower()]}"
    assert "pulumi-aws" in program  # the program's own dependency, not the library's


def _requirements(path: Path) -> dict[str, Requirement]:
    lines = (line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return {r.name.lower(): r for r in (Requirement(line) for line in lines if line and not line.startswith("-"))}


def test_the_shipped_policy_is_the_iam_policy() -> None:
    shipped = REPO / "mgn_resources" / "cutover-policy.json"
    assert shipped.read_bytes() == (REPO / "iam" / "cutover-policy.json").read_bytes()
    assert (REPO / "mgn_resources" / "py.typed").is_file()


def test_make_up_installs_the_emulators_moto_the_same_as_the_emulator_extra() -> None:
    """make up's venv must serve the local stack alone: moto comes with it, not only with make test's dev file."""
    local = _requirements(REPO / "requirements-local.txt")
    extra = [Requirement(r) for r in pyproject()["project"]["optional-dependencies"]["emulator"]]
    assert [str(r) for r in extra] == [str(local[r.name.lower()]) for r in extra]
    assert "-r requirements.txt" in (REPO / "requirements-local.txt").read_text(encoding="utf-8")
    assert "-r requirements-local.txt" in (REPO / "requirements-dev.txt").read_text(encoding="utf-8")
    planned = subprocess.run(
        ["make", "--no-print-directory", "-n", "-B", "up"], cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout
    assert "pip install --quiet -r requirements-local.txt" in planned
    assert "requirements-dev.txt" not in planned
