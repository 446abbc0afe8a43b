"""A wait longer than the assumed role's session keeps working: botocore refreshes the role's credentials.

moto's STS (in-process server) plays AWS STS; the MGN emulator records which access key signed each call.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from dateutil.tz import tzlocal
from moto.server import ThreadedMotoServer

from mgn_emulator import EmulatorServer
from mgn_resources.aws import Connection, LaunchKind, MgnApi, build_client
from mgn_resources.clock import SYSTEM_CLOCK
from mgn_resources.engine import LaunchEngine, SharedJobPoller, SilentProgress
from mgn_resources.lifecycle.translate import launch_spec
from tests.harness.emulator import server_id as sid

from .conftest import FAST_RETRIES, servers_seed

pytestmark = pytest.mark.slow

ROLE = "arn:aws:iam::123456789012:role/mgn-cutover"


@pytest.fixture
def sts(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", url)
    yield url
    server.stop()


def test_role_credentials_are_refreshed_during_a_long_wait(sts: str) -> None:
    skew = timedelta(0)

    def now() -> datetime:  # botocore asks this how long the role's credentials have left
        return datetime.now(tzlocal()) + skew

    with EmulatorServer(seed=servers_seed(1), launch_seconds=2.0) as emu:
        connection = Connection(region="us-east-1", endpoint_url=emu.url, role_arn=ROLE)
        api = MgnApi(build_client(connection, config=FAST_RETRIES, time_fetcher=now))
        engine = LaunchEngine(
            api, SharedJobPoller(SYSTEM_CLOCK), SYSTEM_CLOCK, SilentProgress(), "us-east-1"
        )

        def session_nearly_over() -> None:
            nonlocal skew
            skew = timedelta(minutes=55)  # the 1-hour role session has 5 minutes left

        timer = threading.Timer(0.8, session_nearly_over)
        timer.start()
        inputs = {"source_server_ids": [sid(1)], "poll_interval_seconds": 0.1}
        result = engine.launch(launch_spec(LaunchKind.CUTOVER, inputs))
        timer.join()

        keys = [c.access_key for c in emu.calls()]

    assert result.job.status.value == "COMPLETED"
    assert len(set(keys)) >= 2, "the role's credentials were never refreshed"
    assert all(k.startswith("ASIA") for k in keys)  # every call was signed with the role's credentials
    assert "testing" not in keys
