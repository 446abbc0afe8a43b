"""The IAM policy lists exactly the MGN and EC2 actions the provider calls: no more, no less, no wildcards.

The provider reaches AWS only through the adapter (no module outside ``mgn_resources/aws`` imports boto3 or
botocore), so the calls it can make are the ones the emulator records while every public method of the adapter
runs (``MgnApi``, ``TargetApi``): a reading of the emulator's call log, not of the source.
"""

from __future__ import annotations

import ast
import inspect
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mgn_emulator import EmulatorServer
from mgn_resources.aws import Connection, LaunchKind, MgnApi, TargetApi, build_client, ec2_client
from tests.harness.emulator import ManualClock, make_seed, server_entry
from tests.harness.emulator import server_id as sid

LAUNCH = 5.0  # seconds of the emulator's clock a launch takes
REPO = Path(__file__).resolve().parents[2]
POLICY_FILE = REPO / "iam" / "cutover-policy.json"
PROVIDER_USER_AGENT = "mgn-cutover"  # botocore's user_agent_extra on the provider's clients


def policy_actions() -> set[str]:
    policy = json.loads(POLICY_FILE.read_text())
    return {a for s in policy["Statement"] if s["Effect"] == "Allow" for a in s["Action"]}


@pytest.fixture
def emu() -> Iterator[tuple[EmulatorServer, ManualClock]]:
    clock = ManualClock()
    seed = make_seed([server_entry(1, state="READY_FOR_TEST"), server_entry(2)])
    with EmulatorServer(seed=seed, clock=clock, launch_seconds=LAUNCH) as server:
        yield server, clock


def every_adapter_method(api: MgnApi, clock: ManualClock) -> dict[str, Callable[[], object]]:
    """One call of each public method of the adapter, in an order MGN accepts (a launch, then what follows it)."""
    test_job = api.start_launch(LaunchKind.TEST, [sid(1)], {"wave": "one"})
    clock.advance(3 * LAUNCH)
    cutover_job = api.start_launch(LaunchKind.CUTOVER, [sid(2)], {})
    clock.advance(3 * LAUNCH)
    return {
        "start_launch": lambda: (test_job, cutover_job),
        "describe_jobs": lambda: api.describe_jobs([test_job.job_id]),
        "describe_each_job": lambda: api.describe_each_job([test_job.job_id]),
        # the launch admission, after MGN refused a launch at a quota
        "describe_active_jobs": lambda: api.describe_active_jobs("2026-01-01T00:00:00.000Z"),
        "describe_source_servers": lambda: api.describe_source_servers([sid(1), sid(2)]),
        "describe_job_log_items": lambda: api.describe_job_log_items(test_job.job_id),
        "tag_resource": lambda: api.tag_resource(test_job.arn, {"k": "v"}),
        "untag_resource": lambda: api.untag_resource(test_job.arn, ["k"]),
        "change_life_cycle_state": lambda: api.change_life_cycle_state(sid(1), "READY_FOR_CUTOVER"),
        "terminate_target_instances": lambda: api.terminate_target_instances([sid(1)], {}),
        "finalize_cutover": lambda: api.finalize_cutover(sid(2)),
        # application_ids and wave_id: resolved at create, compared at refresh, listed by a program (mgnWave)
        "list_applications": lambda: api.list_applications(["app-00000000000000001"]),
        "list_wave_applications": lambda: api.list_wave_applications("wave-00000000000000001"),
        "list_waves": lambda: api.list_waves(["wave-00000000000000001"]),
        "describe_application_servers": lambda: api.describe_application_servers(["app-00000000000000001"]),
    }


def every_target_method(target: TargetApi, instance_id: str) -> dict[str, Callable[[], object]]:
    """One call of each public method of the target part of the adapter (MGN launch configuration, EC2)."""
    template = target.get_launch_configuration(sid(1)).launch_template_id
    default = target.template_version(template)
    version = target.create_template_version(template, default.number, {"InstanceType": "m5.large"}, "test")
    return {
        "get_launch_configuration": lambda: template,
        "launch_template_of": lambda: target.launch_template_of(sid(1)),
        "update_launch_configuration": lambda: target.update_launch_configuration(sid(1), {"copyTags": True}),
        "template_version": lambda: default,
        "create_template_version": lambda: version,
        "set_default_version": lambda: target.set_default_version(template, version),
        "instance_health": lambda: target.instance_health([instance_id]),
        "prepare": target.prepare,  # builds the EC2 client, calls nothing
    }


def _public(kind: type) -> set[str]:
    return {name for name, _ in inspect.getmembers(kind, inspect.isfunction) if not name.startswith("_")}


@pytest.fixture
def provider_calls(emu: tuple[EmulatorServer, ManualClock]) -> set[str]:
    """``service:Operation`` of every call the emulator recorded from the provider's clients, each method run once."""
    server, clock = emu
    connection = Connection(region="us-east-1", endpoint_url=server.url)
    client = build_client(connection)
    api = MgnApi(client)
    calls = every_adapter_method(api, clock)
    assert set(calls) == _public(MgnApi), "exercise each public method of MgnApi here"
    jobs = api.describe_jobs([job.job_id for job in calls["start_launch"]()])  # type: ignore[attr-defined]
    launched = next(s.instance_id for j in jobs.values() for s in j.servers if s.instance_id)
    target_calls = every_target_method(TargetApi(client, ec2_client(connection)), launched)
    assert set(target_calls) == _public(TargetApi), "exercise each public method of TargetApi here"
    calls.update(target_calls)

    for call in calls.values():
        call()

    records = [c for c in server.calls() if PROVIDER_USER_AGENT in c.user_agent]
    assert [c for c in records if c.status >= 400] == []
    return {f"{c.service}:{c.operation}" for c in records}


def test_the_policy_allows_every_call_the_provider_makes(provider_calls: set[str]) -> None:
    missing = sorted(provider_calls - policy_actions())
    assert missing == [], f"{POLICY_FILE.name} lacks actions the provider calls: {', '.join(missing)}"


def test_the_policy_allows_nothing_the_provider_does_not_call(provider_calls: set[str]) -> None:
    assert sorted(policy_actions() - provider_calls) == []


def test_the_provider_reaches_aws_only_through_the_adapter() -> None:
    """What the two tests above rest on: only ``mgn_resources/aws`` makes boto3 clients and calls."""
    package = REPO / "mgn_resources"
    outside = {}
    for path in sorted(package.rglob("*.py")):
        if path.is_relative_to(package / "aws"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            for name in names:
                if name.split(".")[0] in ("boto3", "botocore"):
                    outside.setdefault(path.relative_to(REPO).as_posix(), []).append(name)
    assert outside == {}


def test_policy_has_no_wildcards() -> None:
    assert "*" not in "".join(policy_actions())
    assert POLICY_FILE.read_text().count('"Effect": "Allow"') == 5
