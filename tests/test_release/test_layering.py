"""The layers of docs/architecture.md, checked by importing each in a fresh interpreter: nothing from above it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE_LAYERS = ("emulator", "aws", "engine", "schema", "provider", "resources")


@pytest.mark.parametrize(
    ("imported", "forbidden"),
    [
        # The emulator (its test helpers included) reads botocore's model only: no boto3, no other layer.
        (["mgn_resources.emulator", "mgn_resources.emulator.testing", "mgn_resources.emulator.__main__"],
         ["boto3", "pulumi", *(f"mgn_resources.{p}" for p in PACKAGE_LAYERS if p != "emulator")]),
        (["mgn_resources.aws"], ["pulumi", "mgn_resources.engine", "mgn_resources.provider", "mgn_resources.emulator"]),
        (["mgn_resources.engine"], ["pulumi", "mgn_resources.schema", "mgn_resources.provider"]),
        (["mgn_resources.schema"], ["pulumi", "mgn_resources.provider", "mgn_resources.resources"]),
        (["mgn_resources.provider"], ["mgn_resources.resources", "mgn_resources.emulator"]),
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
