"""With role_arn, the STS client finds the same region as MGN, wherever it comes from (the region input, the stack's
aws:region, AWS_REGION), without AWS_DEFAULT_REGION, and honours AWS_ENDPOINT_URL_STS; through the real host.

moto's STS (threaded server) plays AWS STS; the MGN emulator records which access key signed each call.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from moto.server import ThreadedMotoServer

from mgn_emulator import EmulatorServer
from tests.harness import HostError, ProviderHost
from tests.harness.loopback import free_port
from tests.harness.mgn import SERVERS, up

pytestmark = pytest.mark.slow

ROLE = "arn:aws:iam::123456789012:role/mgn-cutover"


@pytest.fixture(scope="module")
def sts() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.mark.parametrize(
    ("inputs", "config", "env"),
    [
        ({"region": "us-east-1"}, {}, {}),
        ({}, {"aws:region": "us-east-1"}, {}),
        ({}, {}, {"AWS_REGION": "us-east-1"}),
    ],
    ids=["region input", "aws:region", "AWS_REGION"],
)
def test_role_credentials_find_the_region(
    sts: str, emu: EmulatorServer, inputs: dict[str, Any], config: dict[str, str], env: dict[str, str]
) -> None:
    from mgn_resources import CutoverProvider

    # host_env() drops every AWS_* variable of this process: AWS_DEFAULT_REGION is not set in the host.
    with ProviderHost(CutoverProvider(), env={"AWS_ENDPOINT_URL_STS": sts, **env}) as host:
        host.configure(config)
        _, created = up(host, {"source_server_ids": SERVERS[:1], "endpoint_url": emu.url, "role_arn": ROLE,
                               "poll_interval_seconds": 0.05, **inputs})

    assert created.outs["job_status"] == "COMPLETED" and created.outs["effective_role_arn"] == ROLE
    keys = {c.access_key for c in emu.calls()}
    assert keys and all(k.startswith("ASIA") for k in keys)  # every MGN call was signed with the role's credentials


def test_an_unreachable_sts_names_the_role_and_the_sts_endpoint(emu: EmulatorServer) -> None:
    from mgn_resources import CutoverProvider

    closed = f"http://127.0.0.1:{free_port()}"
    with ProviderHost(CutoverProvider(), env={"AWS_ENDPOINT_URL_STS": closed}) as host:
        host.configure({"aws:region": "us-east-1"})
        with pytest.raises(HostError) as failed:
            up(host, {"source_server_ids": SERVERS[:1], "endpoint_url": emu.url, "role_arn": ROLE})

    last_line = failed.value.details.strip().splitlines()[-1]
    assert last_line.removeprefix("mgn_resources.errors.ConnectionSettingsError: ").startswith("Could not assume role")
    assert ROLE in last_line and closed in last_line and "AWS_ENDPOINT_URL_STS" in last_line
    assert emu.call_count("StartCutover") == 0
