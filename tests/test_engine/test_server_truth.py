"""Each server's launch as MGN and the emulator's EC2 tell it: a dead instance is history (launched again, reported
at refresh), a stopped one is dead unless the server launches STOPPED, a live one is kept."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from mgn_resources.aws import LaunchKind, TargetApi
from mgn_resources.clock import SYSTEM_CLOCK
from mgn_resources.engine import LaunchEngine, ServerState, SharedJobPoller
from tests.harness.emulator import server_id as sid

from .conftest import Rig

pytestmark = pytest.mark.slow


def ec2(rig: Rig) -> Any:
    return boto3.client(
        "ec2", endpoint_url=rig.emu.url, region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t"
    )


def engine(rig: Rig) -> LaunchEngine:
    target = TargetApi(rig.client(), ec2(rig))
    return LaunchEngine(rig.api, SharedJobPoller(SYSTEM_CLOCK), SYSTEM_CLOCK, rig.progress, "us-east-1", target=target)


def test_a_launch_whose_instance_was_terminated_is_not_adopted_and_only_that_server_launches_again(rig: Rig) -> None:
    first = engine(rig).launch(rig.spec(sid(1), sid(2)))
    dead = first.launches[0].instance_id
    ec2(rig).terminate_instances(InstanceIds=[dead])

    again = engine(rig).launch(rig.spec(sid(1), sid(2)))

    starts = [c.body["sourceServerIDs"] for c in rig.emu.calls() if c.operation == "StartCutover"]
    assert starts == [[sid(1), sid(2)], [sid(1)]]
    assert again.launches[0].instance_id not in ("", dead)
    kept, was = again.launches[1], first.launches[1]
    assert (kept.job_id, kept.instance_id, kept.instance_state) == (was.job_id, was.instance_id, "running")


def test_refresh_warns_once_for_a_terminated_instance_and_drops_it(rig: Rig) -> None:
    first = engine(rig).launch(rig.spec(sid(1), sid(2)))
    dead = first.launches[1].instance_id
    ec2(rig).terminate_instances(InstanceIds=[dead])

    refreshed = engine(rig).refresh(LaunchKind.CUTOVER, first.launches)

    assert [s.state for s in refreshed.launches] == [ServerState.LAUNCHED, ServerState.INSTANCE_GONE]
    assert refreshed.launches[1].instance_id == "" and refreshed.launches[1].instance_state == "terminated"
    assert rig.progress.warnings == [
        f"{sid(2)}'s cutover instance {dead} is terminated; the next `pulumi up` launches {sid(2)} again."
    ]


def test_a_stopped_instance_is_gone_unless_the_server_launches_stopped(rig: Rig) -> None:
    first = engine(rig).launch(rig.spec(sid(1), sid(2)))
    ec2(rig).stop_instances(InstanceIds=[s.instance_id for s in first.launches])
    rig.client().update_launch_configuration(sourceServerID=sid(2), launchDisposition="STOPPED")

    refreshed = engine(rig).refresh(LaunchKind.CUTOVER, first.launches)

    assert [s.state for s in refreshed.launches] == [ServerState.INSTANCE_GONE, ServerState.LAUNCHED]
    assert [s.instance_state for s in refreshed.launches] == ["stopped", "stopped"]
