"""The healthy-instance wait survives EC2's eventual consistency: ``InvalidInstanceID.NotFound`` is "not listed
yet" until the deadline (NOT_FOUND_CHECKS, as terraform-plugin-sdk's StateChangeConf.NotFoundChecks); only an
instance that is really gone, or the deadline, ends the wait.

MGN is the emulator; EC2 is an endpoint that answers as real EC2 does, NotFound for a while after a launch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

import pytest

from mgn_resources.aws.target import TargetApi
from mgn_resources.clock import SYSTEM_CLOCK
from mgn_resources.engine import LaunchEngine, SharedJobPoller, health
from mgn_resources.engine.health import NOT_FOUND_CHECKS, HealthWaiter
from mgn_resources.errors import InstanceNotFoundError, JobTimeoutError, UnhealthyInstanceError
from tests.harness.canned_ec2 import CannedEc2, Ec2Reply, instance_ids, instances_not_found, statuses
from tests.harness.emulator import server_id as sid

from .conftest import RecordingProgress, Rig


def eventually_listed(polls_not_found: int, gone: Mapping[str, str] | None = None) -> Callable[..., Ec2Reply]:
    """DescribeInstanceStatus: NotFound for every instance for the first polls, then running with checks ok
    (``gone``: instance ID -> state, for instances that are listed at once, in that state)."""
    calls: list[int] = []
    gone = gone or {}

    def describe(params: Mapping[str, list[str]]) -> Ec2Reply:
        asked = instance_ids(params)
        calls.append(1)
        unknown = [i for i in asked if i not in gone]
        if unknown and len(calls) <= polls_not_found:
            return instances_not_found(unknown)
        return statuses({i: gone.get(i, "running") for i in asked})

    return describe


@pytest.fixture
def ec2_endpoints() -> Iterator[Callable[..., CannedEc2]]:
    started: list[CannedEc2] = []

    def start(describe: Callable[..., Ec2Reply]) -> CannedEc2:
        canned = CannedEc2({"DescribeInstanceStatus": describe}).__enter__()
        started.append(canned)
        return canned

    yield start
    for canned in started:
        canned.__exit__(None, None, None)


def engine(rig: Rig, ec2: CannedEc2) -> LaunchEngine:
    target = TargetApi(rig.client(), ec2.client())
    return LaunchEngine(rig.api, SharedJobPoller(SYSTEM_CLOCK), SYSTEM_CLOCK, rig.progress, "us-east-1", target=target)


def test_the_tolerance_is_named_and_lasts_until_the_deadline() -> None:
    assert NOT_FOUND_CHECKS is None
    assert "NotFoundChecks" in (health.__doc__ or "")


@pytest.mark.slow
def test_instances_ec2_answers_not_found_for_at_first_are_waited_for(
    rig: Rig, ec2_endpoints: Callable[..., CannedEc2]
) -> None:
    ec2 = ec2_endpoints(eventually_listed(polls_not_found=4))

    result = engine(rig, ec2).launch(rig.spec(sid(1), sid(2)))

    launched = sorted(s.instance_id for s in result.job.servers)
    assert ec2.actions().count("DescribeInstanceStatus") >= 5
    assert f"Instances {', '.join(launched)} are running with status checks ok." in rig.progress.infos
    assert any(m.startswith(f"Instances {', '.join(launched)} (source servers") and "not listed by EC2 yet" in m
               for m in rig.progress.infos)


@pytest.mark.slow
def test_instances_never_listed_time_out_naming_every_one(rig: Rig, ec2_endpoints: Callable[..., CannedEc2]) -> None:
    ec2 = ec2_endpoints(eventually_listed(polls_not_found=10**6))

    with pytest.raises(JobTimeoutError) as raised:
        engine(rig, ec2).launch(rig.spec(sid(1), sid(2), timeout_seconds=3.0))

    job = rig.client().describe_jobs()["items"][0]
    launched = sorted((s["launchedEc2InstanceID"], s["sourceServerID"]) for s in job["participatingServers"])
    text = str(raised.value)
    assert text.startswith(f"Instances {launched[0][0]}, {launched[1][0]} (source servers {launched[0][1]}, "
                           f"{launched[1][1]}) are still not listed by EC2 (InvalidInstanceID.NotFound) after "
                           "timeout_seconds=3")
    assert job["jobID"] in text and "`pulumi up`" in text


@pytest.mark.slow
def test_an_instance_really_gone_ends_the_wait_while_another_is_not_listed_yet(
    rig: Rig, ec2_endpoints: Callable[..., CannedEc2]
) -> None:
    first = rig.engine.launch(rig.spec(sid(1), sid(2)))  # no target: no health wait; the instances exist
    ids = {s.source_server_id: s.instance_id for s in first.job.servers}
    ec2 = ec2_endpoints(eventually_listed(polls_not_found=10**6, gone={ids[sid(2)]: "terminated"}))

    with pytest.raises(UnhealthyInstanceError) as raised:
        HealthWaiter(TargetApi(rig.client(), ec2.client()), SYSTEM_CLOCK, rig.progress).wait(
            first.launches, SYSTEM_CLOCK.monotonic() + 30, 30, 0.05
        )
    assert f"Instance {ids[sid(2)]} (source server {sid(2)}) is terminated, not running" in str(raised.value)


def test_a_bounded_tolerance_fails_naming_the_instance_after_that_many_polls(
    rig: Rig, ec2_endpoints: Callable[..., CannedEc2]
) -> None:
    first = rig.engine.launch(rig.spec(sid(1)))
    instance = first.job.servers[0].instance_id
    ec2 = ec2_endpoints(eventually_listed(polls_not_found=10**6))
    progress = RecordingProgress()

    with pytest.raises(InstanceNotFoundError) as raised:
        HealthWaiter(TargetApi(rig.client(), ec2.client()), SYSTEM_CLOCK, progress, not_found_checks=2).wait(
            first.launches, SYSTEM_CLOCK.monotonic() + 30, 30, 0.01
        )
    assert ec2.actions().count("DescribeInstanceStatus") == 3
    assert raised.value.instance_ids == (instance,)
    assert str(raised.value).startswith(
        f"Instance {instance} (source server {sid(1)}) was not listed by EC2 in 3 polls in a row"
    )


def test_a_launch_whose_instance_ec2_does_not_list_is_kept_not_launched_twice(
    rig: Rig, ec2_endpoints: Callable[..., CannedEc2]
) -> None:
    first = rig.engine.launch(rig.spec(sid(1)))  # no target: the instance exists in the emulator's MGN
    ec2 = ec2_endpoints(eventually_listed(polls_not_found=10**6))

    again = engine(rig, ec2).launch(rig.spec(sid(1), wait_for_healthy_instances=False))

    assert again.adopted and again.launches == first.launches  # NotFound is "not listed yet", never "gone"
    assert rig.ops().count("StartCutover") == 1
