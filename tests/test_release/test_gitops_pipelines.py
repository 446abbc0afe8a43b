"""The GitOps example (examples/gitops/) read, not run: both pipelines parse and call exactly the step scripts that
exist, they keep one run per stack and take AWS credentials from OIDC only; the recover step's lock rules on a file
backend. tests/test_e2e/test_gitops_steps.py runs the steps through the real CLI."""

from __future__ import annotations

import importlib.util
import json
import re
import socket
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from tests.harness import REPO_ROOT

GITOPS = REPO_ROOT / "examples" / "gitops"
STEPS = GITOPS / "steps"
PIPELINES = ("github-actions.yml", "gitlab-ci.yml")
#: How the pipelines call a step: by its path from the repository's root.
STEP_CALL = re.compile(r"examples/gitops/steps/([\w.-]+)")


def pipeline(name: str) -> dict[Any, Any]:
    return dict(yaml.safe_load((GITOPS / name).read_text()))


def step_scripts() -> set[str]:
    return {path.name for path in STEPS.glob("*.sh")}


def recovery() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gitops_recovery", STEPS / "recovery.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", PIPELINES)
def test_a_pipeline_parses_and_calls_exactly_the_step_scripts_that_exist(name: str) -> None:
    text = (GITOPS / name).read_text()
    assert isinstance(pipeline(name), dict)
    assert set(STEP_CALL.findall(text)) == step_scripts() == {"preview.sh", "recover.sh", "up.sh"}
    assert all((STEPS / script).stat().st_mode & 0o111 for script in step_scripts()), "steps must be executable"


@pytest.mark.parametrize("name", PIPELINES)
def test_a_pipeline_runs_in_the_example_program_and_installs_the_pinned_cli(name: str) -> None:
    text = (GITOPS / name).read_text()
    assert "examples/gitops/program" in text and (GITOPS / "program" / "Pulumi.yaml").is_file()
    pinned = re.search(r"^pulumi==([0-9.]+)", (REPO_ROOT / "requirements.txt").read_text(), re.MULTILINE)
    assert pinned and f'PULUMI_VERSION: "{pinned.group(1)}"' in text
    assert "https://get.pulumi.com" in text  # the official installer
    assert "pip install -r requirements.txt" in text
    assert not re.search(r"aws[-_](access[-_]key|secret)", text, re.IGNORECASE), "credentials come from OIDC only"


def test_github_previews_pull_requests_and_runs_up_on_main_one_run_per_stack() -> None:
    workflow = pipeline("github-actions.yml")
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert set(triggers) == {"pull_request", "push"}
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["env"]["PULUMI_BACKEND_URL"] == "${{ secrets.PULUMI_BACKEND_URL }}"
    preview, up = workflow["jobs"]["preview"], workflow["jobs"]["up"]
    assert up["concurrency"] == {"group": "pulumi-${{ matrix.stack }}", "cancel-in-progress": False}
    assert preview["concurrency"]["group"] != up["concurrency"]["group"]
    assert preview["permissions"]["pull-requests"] == "write" and "pull-requests" not in up["permissions"]
    for job in (preview, up):
        assert job["permissions"]["id-token"] == "write"
        (aws,) = [s for s in job["steps"] if str(s.get("uses", "")).startswith("aws-actions/configure-aws-credentials")]
        assert set(aws["with"]) >= {"role-to-assume", "aws-region"}
    (post,) = [s for s in preview["steps"] if "gh pr comment" in s.get("run", "")]
    assert post["if"].startswith("always()")


def test_gitlab_previews_merge_requests_and_runs_up_on_the_default_branch_one_job_per_stack() -> None:
    ci = pipeline("gitlab-ci.yml")
    assert ci["preview"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert ci["up"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert ci["up"]["resource_group"] == "pulumi-$STACK" and ci["up"]["interruptible"] is False
    assert "resource_group" not in ci["preview"]
    assert "/merge_requests/$CI_MERGE_REQUEST_IID/notes" in "\n".join(ci["preview"]["after_script"])
    assert ci[".pulumi"]["id_tokens"]["AWS_ID_TOKEN"]["aud"] == "sts.amazonaws.com"


def test_recover_removes_only_a_dead_lock_of_this_host_and_says_what_it_leaves(tmp_path: Path) -> None:
    module = recovery()
    locks = tmp_path / "backend" / ".pulumi" / "locks" / "organization" / "proj" / "prod"
    locks.mkdir(parents=True)
    dead = locks / "dead.json"
    dead.write_text(json.dumps({"pid": 2**22 + 1, "hostname": socket.gethostname(), "timestamp": "t1"}))
    dead.with_name("dead.json.attrs").write_text("{}")
    elsewhere = locks / "elsewhere.json"
    elsewhere.write_text(json.dumps({"pid": 7, "hostname": "another-runner", "timestamp": "t2"}))
    other_stack = locks.parent / "dev" / "dead.json"
    other_stack.parent.mkdir()
    other_stack.write_text(dead.read_text())

    said = module.clear_dead_locks(f"file://{tmp_path}/backend?no_tmp_dir=true", "prod")

    assert said == [
        "Removed the lock on stack prod left by pulumi (pid 4194305, started t1), which is no longer running.",
        "Left the lock on stack prod held by pulumi (pid 7 on host another-runner, started t2): this step cannot "
        "see that host's processes (`pulumi cancel` removes it once that run is gone).",
    ]
    assert sorted(p.name for p in locks.iterdir()) == ["elsewhere.json"]
    assert other_stack.exists()


def test_recover_clears_no_lock_on_a_backend_it_cannot_see_into() -> None:
    module = recovery()
    for url in ("s3://bucket/prefix", "https://api.pulumi.com", "gs://bucket", "azblob://container"):
        assert module.backend_dir(url) is None
        (said,) = module.clear_dead_locks(url, "prod")
        assert said.startswith(f"Left any lock on stack prod as it is: at {url} this step cannot tell"), said
    assert module.backend_dir("file://~/state") == Path.home() / "state"


def test_recover_counts_only_pending_creates() -> None:
    module = recovery()
    operations = [{"type": "creating"}, {"type": "updating"}, {"type": "creating"}]
    exported = {"deployment": {"pending_operations": operations}}
    assert module.pending_creates(json.dumps(exported)) == 2
    assert module.pending_creates(json.dumps({"version": 3, "deployment": {}})) == 0
    assert module.pending_creates("") == 0


def test_recover_refuses_an_unknown_lock_mode_before_calling_pulumi(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(STEPS / "recover.sh")], cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "STACK": "prod",
                                                        "PULUMI": "false", "RECOVER_LOCKS": "all"},
        capture_output=True, text=True, timeout=30, check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "recover.sh: RECOVER_LOCKS must be this-host, cancel or none, not 'all'"
