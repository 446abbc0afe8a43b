"""The layers of docs/architecture.md, checked by importing each in a fresh interpreter: nothing from above it.

The emulator (``mgn_emulator``) is a package of its own beside the library: the library never imports it (checked
by importing and by reading every module's imports), and it takes nothing from the library but the clock.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE_LAYERS = ("aws", "engine", "schema", "lifecycle", "provider", "plugin", "resources")
LIBRARY_MODULES = ["mgn_resources", *(f"mgn_resources.{p}" for p in PACKAGE_LAYERS)]


@pytest.mark.parametrize(
    ("imported", "forbidden"),
    [
        # The emulator reads botocore's model only: no boto3, no layer of the library (only its clock).
        (["mgn_emulator", "mgn_emulator.__main__"], ["boto3", "pulumi", *LIBRARY_MODULES[1:]]),
        # The library, every layer of it, never imports the emulator.
        (LIBRARY_MODULES, ["mgn_emulator"]),
        (
            ["mgn_resources.aws"],
            ["pulumi", "mgn_resources.engine", "mgn_resources.lifecycle", "mgn_resources.provider", "mgn_emulator"],
        ),
        (
            ["mgn_resources.engine"],
            ["pulumi", "mgn_resources.schema", "mgn_resources.lifecycle", "mgn_resources.provider"],
        ),
        (
            ["mgn_resources.schema"],
            [
                "pulumi",
                "mgn_resources.engine",
                "mgn_resources.lifecycle",
                "mgn_resources.provider",
                "mgn_resources.resources",
            ],
        ),
        (["mgn_resources.provider"], ["mgn_resources.resources", "mgn_resources.plugin", "mgn_emulator"]),
        # The two faces stand side by side on the lifecycle: neither imports the other, nor the resources.
        (
            ["mgn_resources.plugin.provider", "mgn_resources.plugin.__main__"],
            ["mgn_resources.provider", "mgn_resources.resources", "mgn_emulator"],
        ),
    ],
)
def test_a_layer_imports_nothing_above_it(imported: list[str], forbidden: list[str]) -> None:
    code = (
        "import json, sys\n"
        + "".join(f"import {m}\n" for m in imported)
        + f"print(json.dumps(sorted(m for m in sys.modules if m.startswith({tuple(forbidden)!r}))))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    loaded = [m for m in json.loads(done.stdout) if any(m == f or m.startswith(f + ".") for f in forbidden)]
    assert loaded == [], f"importing {', '.join(imported)} loads {', '.join(loaded)}"


def _imported_names(path: Path) -> set[str]:
    """The absolute module names ``path`` imports (``import x``, ``from x import y``), wherever in the module."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def _modules(package: str) -> list[Path]:
    return sorted((REPO / package).rglob("*.py"))


def test_no_module_of_the_library_names_the_emulator() -> None:
    """Lazy, conditional and TYPE_CHECKING imports too, which importing would not show."""
    found = {
        path.relative_to(REPO).as_posix(): sorted(n for n in _imported_names(path) if n.split(".")[0] == "mgn_emulator")
        for path in _modules("mgn_resources")
    }
    assert {path: names for path, names in found.items() if names} == {}
    layers = {"aws", "engine", "lifecycle", "provider", "plugin", "resources", "schema"}
    assert {path.split("/")[1] for path in found} >= {*layers, "__init__.py"}  # every layer was read


def test_the_lifecycle_takes_no_face_and_of_pulumi_only_its_unknown_value() -> None:
    """Every face calls the lifecycle: it names no face (provider, resources, a plugin), and of Pulumi it takes only
    ``pulumi.output.Unknown`` (how a face hands it an unknown value), never a host's types or the log."""
    taken: dict[str, list[str]] = {}
    for path in _modules("mgn_resources/lifecycle"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = ("." * node.level) + (node.module or "")
                names = [f"{module}.{alias.name}" if node.level == 0 else module for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            wrong = [n for n in names if n.startswith(("..provider", "..resources", "..plugin"))
                     or (n.split(".")[0] == "pulumi" and n != "pulumi.output.Unknown")]
            if wrong:
                taken.setdefault(path.name, []).extend(wrong)
    assert taken == {}
    assert len(_modules("mgn_resources/lifecycle")) >= 8  # the modules were found and read


def test_the_emulator_takes_only_the_clock_from_the_library() -> None:
    imported = {name for path in _modules("mgn_emulator") for name in _imported_names(path)}
    taken = {name for name in imported if name.split(".")[0] == "mgn_resources"}
    assert taken == {"mgn_resources.clock"}


def test_the_program_takes_only_the_resources_from_the_library() -> None:
    """__main__.py and waves.py (the program) use the typed public surface, never the schema or the providers."""
    program = [REPO / "__main__.py", REPO / "waves.py"]
    taken = {name for path in program for name in _imported_names(path) if name.split(".")[0] == "mgn_resources"}
    assert taken <= {"mgn_resources", "mgn_resources.resources", "mgn_resources.resources.choices"}, taken
    assert "mgn_resources.resources.choices" in taken  # waves.py's onDelete and launch keys come from there
