"""The IAM policy lists exactly the MGN and EC2 actions the adapter calls: no more, no less, no wildcards.

The calls are the ones the emulator records while every public method of the adapter runs, not a reading of its
source. The suite also records every call the provider makes against the emulator (tests/conftest.py) and fails
the run if one is missing from the policy.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator

import pytest

from mgn_resources.aws import Connection, LaunchKind, MgnApi, TargetApi, build_client, ec2_client
from mgn_resources.emulator import EmulatorServer
from mgn_resources.emulator.testing import ManualClock, make_seed, server_entry
from mgn_resources.emulator.testing import server_id as sid
from tests.conftest import POLICY_FILE, PROVIDER_USER_AGENT, policy_actions

LAUNCH = 5.0  # seconds of the emulator's clock a launch takes


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
        "describe_source_servers": lambda: api.describe_source_servers([sid(1), sid(2)]),
        "describe_job_log_items": lambda: api.describe_job_log_items(test_job.job_id),
        "tag_resource": lambda: api.tag_resource(test_job.arn, {"k": "v"}),
        "untag_resource": lambda: api.untag_resource(test_job.arn, ["k"]),
        "change_life_cycle_state": lambda: api.change_life_cycle_state(sid(1), "READY_FOR_CUTOVER"),
        "terminate_target_instances": lambda: api.terminate_target_instances([sid(1)], {}),
        "finalize_cutover": lambda: api.finalize_cutover(sid(2)),
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
    }


def _public(kind: type) -> set[str]:
    return {name for name, _ in inspect.getmembers(kind, inspect.isfunction) if not name.startswith("_")}


def test_policy_matches_the_calls_the_adapter_makes(emu: tuple[EmulatorServer, ManualClock]) -> None:
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
    assert {f"{c.service}:{c.operation}" for c in records} == policy_actions()


def test_policy_has_no_wildcards() -> None:
    assert "*" not in "".join(policy_actions())
    assert POLICY_FILE.read_text().count('"Effect": "Allow"') == 5
