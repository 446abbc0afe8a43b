"""At MGN's concurrent-job quota, each pause before launching again is jittered, so stacks waiting on the same
account quota do not retry in lockstep. The random source is injected, as time is, so the pauses are exact here."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from botocore.config import Config

from mgn_resources.aws import Connection, LaunchKind, MgnApi, build_client
from mgn_resources.engine import LaunchEngine, SharedJobPoller, SilentProgress
from mgn_resources.errors import JobTimeoutError
from mgn_resources.lifecycle.translate import launch_spec
from tests.harness.canned import CannedMgn, error, reply

SERVER = "s-0a1b2c3d4e5f6a7b8"
ONE_ATTEMPT = Config(retries={"mode": "standard", "max_attempts": 1}, connect_timeout=2, read_timeout=2)
QUOTA = error(
    "ConflictException",
    409,
    message="Quota exceeded",
    code="CONCURRENT_JOBS_QUOTA",
    errors=[{"code": "CONCURRENT_JOBS_QUOTA", "message": "quota 'concurrent jobs' is 20 and 20 jobs are active"}],
)


@dataclass
class RecordingClock:
    """Moves only when slept on; remembers each pause."""

    mono: float = 1000.0
    pauses: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.mono

    def now(self) -> datetime:
        return datetime(2026, 11, 28, tzinfo=UTC) + timedelta(seconds=self.mono)

    def sleep(self, seconds: float, cancellation: object = None) -> None:
        self.pauses.append(seconds)
        self.mono += seconds


@pytest.fixture
def at_quota() -> Iterator[CannedMgn]:
    servers = {"items": [{"sourceServerID": SERVER, "lifeCycle": {"state": "READY_FOR_CUTOVER"}}]}
    with CannedMgn({"DescribeSourceServers": reply(servers), "StartCutover": QUOTA}) as mgn:
        yield mgn


def pauses_at_quota(mgn: CannedMgn, draws: list[float]) -> list[float]:
    api = MgnApi(build_client(Connection(region="us-east-1", endpoint_url=mgn.url), config=ONE_ATTEMPT))
    clock = RecordingClock()
    numbers = iter(draws)
    poller = SharedJobPoller(clock)
    engine = LaunchEngine(api, poller, clock, SilentProgress(), "us-east-1", jitter=lambda: next(numbers))
    with pytest.raises(JobTimeoutError, match="20 concurrent jobs"):
        inputs = {"source_server_ids": [SERVER], "timeout_seconds": 30.0, "poll_interval_seconds": 4.0,
                  "wait_for_healthy_instances": False}
        engine.launch(launch_spec(LaunchKind.CUTOVER, inputs))
    return clock.pauses


def test_quota_pauses_are_jittered_between_half_and_all_of_the_backoff(at_quota: CannedMgn) -> None:
    pauses = pauses_at_quota(at_quota, [0.0, 1.0, 0.5, 0.25, 0.0, 0.0])
    # backoff 4, 8, 16, 32 s (from poll_interval_seconds, doubling), each shortened by up to half; the last pause
    # is cut to what is left of the 30 s timeout
    assert pauses == [4.0, 4.0, 12.0, 10.0]
    assert at_quota.calls.count("StartCutover") == 5


def test_two_stacks_at_the_same_quota_do_not_retry_in_step(at_quota: CannedMgn) -> None:
    first = pauses_at_quota(at_quota, [0.1, 0.9, 0.3, 0.7, 0.2, 0.8])
    second = pauses_at_quota(at_quota, [0.6, 0.2, 0.8, 0.1, 0.5, 0.4])
    assert first[:3] != second[:3]
    assert all(b / 2 <= p <= b for p, b in zip(first[:3], [4.0, 8.0, 16.0], strict=True))
