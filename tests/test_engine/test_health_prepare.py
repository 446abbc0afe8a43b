"""The EC2 client the health check needs is ready before the job ends: a launch builds it while its job runs (at its
first tick a second or more into the job), not at the job's end, when a quota-bound night's next launches start."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest

from mgn_resources.aws import TargetApi
from mgn_resources.clock import SYSTEM_CLOCK
from mgn_resources.engine import LaunchEngine, SharedJobPoller
from tests.harness.emulator import server_id as sid

from .conftest import Rig

pytestmark = pytest.mark.slow


class BuiltAtFirstUse:
    """An EC2 client built at its first use, as the library's is, noting the status of MGN's jobs at that moment."""

    def __init__(self, rig: Rig) -> None:
        self._rig = rig
        self._client: Any = None
        self.job_statuses_then: list[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._client is None:
            self.job_statuses_then = [job["status"] for job in self._rig.client().describe_jobs(filters={})["items"]]
            self._client = boto3.client(
                "ec2", endpoint_url=self._rig.emu.url, region_name="us-east-1", aws_access_key_id="t",
                aws_secret_access_key="t",
            )
        return getattr(self._client, name)


def engine(rig: Rig, ec2: BuiltAtFirstUse) -> LaunchEngine:
    target = TargetApi(rig.client(), ec2)
    return LaunchEngine(rig.api, SharedJobPoller(SYSTEM_CLOCK), SYSTEM_CLOCK, rig.progress, "us-east-1", target=target)


def test_the_ec2_client_is_built_while_the_job_runs(rig_factory: Callable[..., Rig]) -> None:
    rig = rig_factory(launch_seconds=2.5)
    ec2 = BuiltAtFirstUse(rig)

    result = engine(rig, ec2).launch(rig.spec(sid(1), wait_for_healthy_instances=True))

    assert result.launches[0].instance_id
    assert ec2.job_statuses_then == ["STARTED"]  # not COMPLETED: built ahead of the health check


def test_a_launch_that_checks_no_health_builds_no_ec2_client(rig_factory: Callable[..., Rig]) -> None:
    rig = rig_factory(launch_seconds=1.5)
    ec2 = BuiltAtFirstUse(rig)

    engine(rig, ec2).launch(rig.spec(sid(1), wait_for_healthy_instances=False))

    assert ec2.job_statuses_then is None
