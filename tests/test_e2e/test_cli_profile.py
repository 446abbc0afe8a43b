"""`pulumi preview` with a missing AWS profile: one sentence, no traceback (issue 19).

scripts/pulumi unsets AWS_PROFILE for stack `local` (and CliProject.env() drops AWS_*), so the profile comes from
the stack's aws:profile config, which the providers read through configure().
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.harness.cli import STACK, CliProject

pytestmark = pytest.mark.e2e


def test_preview_with_a_missing_profile_is_one_sentence(tmp_path: Path) -> None:
    project = CliProject.create(
        tmp_path, "http://127.0.0.1:9", waves=[{"name": "w1", "sourceServerIds": ["s-1234567890abcdef0"]}]
    )
    stack = yaml.safe_load(project.stack_file.read_text())
    stack["config"]["aws:profile"] = "nope"
    project.stack_file.write_text(yaml.safe_dump(stack, sort_keys=False))
    project.select()
    result = project.pulumi("preview", "--stack", STACK, "--non-interactive", check=False, timeout=60)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "AWS profile 'nope' (from aws:profile) is not in ~/.aws/config or ~/.aws/credentials" in output
    assert "Traceback" not in output and "ProfileNotFound" not in output
