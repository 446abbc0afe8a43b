"""Through the real host: what cannot work is refused at check, naming the input (nothing in state, no MGN call),
and a setup error at create names the endpoint and the setting instead of calling it an outage."""

from __future__ import annotations

from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from tests.harness import HostError, ProviderHost
from tests.harness.loopback import free_port
from tests.harness.mgn import SERVERS


def news(emu: EmulatorServer, **overrides: Any) -> dict[str, Any]:
    return {"source_server_ids": SERVERS[:1], "endpoint_url": emu.url, "poll_interval_seconds": 0.05, **overrides}


@pytest.mark.parametrize(
    ("overrides", "prop", "words"),
    [
        ({"timeout_seconds": float("inf")}, "timeout_seconds", "at most 86400"),
        ({"poll_interval_seconds": float("nan")}, "poll_interval_seconds", "at least 0.05"),
        ({"endpoint_url": "http://[::1"}, "endpoint_url", "does not parse"),
        ({"role_arn": "arn:aws-moon:iam::123456789012:role/r"}, "role_arn", "partition 'aws-moon'"),
        ({"tags": {"wave\x1b[31m": "1"}}, "tags", "control characters"),
        ({"finalize": True, "on_delete": "revert"}, "on_delete", "cannot undo a finalized cutover"),
    ],
)
def test_check_refuses_what_cannot_work(
    cutover_host: ProviderHost, emu: EmulatorServer, overrides: dict[str, Any], prop: str, words: str
) -> None:
    checked = cutover_host.check({}, news(emu, **overrides))
    reasons = {f.property: f.reason for f in checked.failures}
    assert prop in reasons and words in reasons[prop], reasons
    assert emu.calls() == []


@pytest.mark.parametrize(
    "url",
    [
        "http://u:s3cr3t@127.0.0.1:1",
        # not ASCII: urlsplit's own error would quote the netloc, password and all
        "http://admin:s3cr\uff0f3t@mgn.example.com",
        "http://admin:s3cr3t\uff20mgn.example.com",  # a fullwidth @ that only NFKC turns into user info
    ],
)
def test_an_endpoint_with_a_password_is_refused_and_never_echoed(cutover_host: ProviderHost, url: str) -> None:
    checked = cutover_host.check({}, {"source_server_ids": SERVERS[:1], "endpoint_url": url})
    assert [f.property for f in checked.failures] == ["endpoint_url"]
    for secret in ("s3cr", "admin:"):
        assert secret not in repr(checked.failures) and secret not in cutover_host.stderr


@pytest.mark.slow
def test_a_mistyped_stack_region_is_refused_naming_aws_region(emu: EmulatorServer) -> None:
    from mgn_resources import CutoverProvider

    with ProviderHost(CutoverProvider()) as host:
        host.configure({"aws:region": "eu-wst-1"})
        checked = host.check({}, {"source_server_ids": SERVERS[:1]})
        with_endpoint = host.check({}, news(emu))

    reasons = {f.property: f.reason for f in checked.failures}
    assert "aws:region is 'eu-wst-1'" in reasons["region"] and "eu-west-1" in reasons["region"]
    assert with_endpoint.failures == []  # an emulator or private endpoint may use any region name


@pytest.mark.slow
def test_a_refused_connection_at_create_names_the_endpoint_not_an_outage(cutover_host: ProviderHost) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    checked = cutover_host.check({}, {"source_server_ids": SERVERS[:1], "endpoint_url": closed})
    assert checked.failures == []

    with pytest.raises(HostError) as failed:
        cutover_host.create(checked.inputs)

    last_line = failed.value.details.strip().splitlines()[-1]
    assert last_line.removeprefix("mgn_resources.errors.ConnectionSettingsError: ").startswith(
        "MGN DescribeSourceServers:"
    )
    assert closed in last_line and "refused" in last_line and "endpoint_url" in last_line
    assert "usually temporary" not in last_line
