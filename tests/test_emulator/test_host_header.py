"""MGN routes, like admin routes, answer only a Host that names where the emulator listens: after DNS rebinding a web
page is same-origin and may sign its requests, but its Host still names the page. Bound to another address
(``--host``), the emulator also answers a Host naming that address, so it stays usable there."""

from __future__ import annotations

import http.client
import socket
from collections.abc import Iterator

import pytest

from mgn_emulator import EmulatorServer
from mgn_emulator.hosts import AddressedHere
from tests.harness.emulator import Reply, assert_json_error, mgn_client, port_of, request_bytes, signed_headers

BODY = b'{"filters": {}}'


def describe_jobs(address: str, port: int, host: str) -> Reply:
    """A correctly signed DescribeJobs sent to ``address``, with ``Host: host``."""
    url = f"http://{host or f'{address}:{port}'}/DescribeJobs"
    headers = signed_headers(url, "POST", BODY, headers={"Content-Type": "application/json"})
    headers = {**{k: v for k, v in headers.items() if k.lower() != "host"}, "Host": host}
    headers.update({"Content-Length": str(len(BODY)), "Connection": "close"})
    with socket.create_connection((address, port), timeout=10) as sock:
        sock.sendall(request_bytes("POST", "/DescribeJobs", headers, BODY))
        response = http.client.HTTPResponse(sock, method="POST")
        response.begin()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())


@pytest.mark.parametrize("host", ["rebound.example:{port}", "rebound.example", "192.0.2.7:{port}", "", "a@127.0.0.1"])
def test_a_signed_request_for_another_host_is_refused_on_loopback(emulator: EmulatorServer, host: str) -> None:
    port = port_of(emulator.url)
    emulator.clear_calls()

    reply = describe_jobs("127.0.0.1", port, host.format(port=port))

    assert (reply.status, reply.error_type) == (403, "AccessDeniedException")
    assert_json_error(reply)
    assert "localhost or a loopback address" in reply.json()["message"]
    assert [(c.operation, c.status) for c in emulator.calls()] == [("DescribeJobs", 403)]


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST.", "127.0.0.2"])
def test_a_loopback_host_is_answered(emulator: EmulatorServer, host: str) -> None:
    reply = describe_jobs("127.0.0.1", port_of(emulator.url), host.format(port=port_of(emulator.url)))
    assert reply.status == 200, reply.body


@pytest.mark.parametrize(
    ("bound", "host", "answered"),
    [
        ("127.0.0.1", "localhost:4599", True),
        ("127.0.0.1", "10.0.0.5:4599", False),
        ("localhost", "rebound.example", False),
        ("::1", "[::1]:4599", True),
        ("10.0.0.5", "10.0.0.5:4599", True),
        ("10.0.0.5", "127.0.0.1:4599", True),
        ("10.0.0.5", "rebound.example:4599", False),
        ("fd00::5", "[FD00::5]:4599", True),
        ("fd00::5", "[fd00::6]:4599", False),
        ("0.0.0.0", "emulator.internal:4599", True),  # every address: reachable by names it cannot know
        ("::", "anything", True),
    ],
)
def test_which_hosts_are_addressed_here(bound: str, host: str, answered: bool) -> None:
    assert AddressedHere(bound)(host) is answered


def non_loopback_address() -> str:
    """An address of this machine that is not loopback (a UDP connect sends nothing); skip if there is none."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            address = str(probe.getsockname()[0])
    except OSError:
        address = ""
    if not address or address.startswith("127.") or address == "0.0.0.0":
        pytest.skip("this machine has no non-loopback IPv4 address")
    return address


@pytest.fixture
def elsewhere() -> Iterator[EmulatorServer]:
    with EmulatorServer(host=non_loopback_address()) as emu:
        yield emu


def test_bound_to_another_address_a_host_naming_it_is_answered(elsewhere: EmulatorServer) -> None:
    address, port = elsewhere.url.split("//")[1].rsplit(":", 1)

    assert mgn_client(elsewhere.url).describe_jobs(filters={})["items"] == []  # a real client, Host = that address
    refused = describe_jobs(address, int(port), f"rebound.example:{port}")

    assert (refused.status, refused.error_type) == (403, "AccessDeniedException")
    assert address in refused.json()["message"]
