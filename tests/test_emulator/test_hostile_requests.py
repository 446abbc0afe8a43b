"""Load and hostile requests: bursts of clients, oversized and malformed requests, unsigned and cross-site calls."""

from __future__ import annotations

import http.client
import json
import threading
from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from mgn_emulator.bounds import MAX_BODY_BYTES
from tests.harness.emulator import (
    Reply,
    admin_call,
    assert_json_error,
    exchange,
    mgn_client,
    port_of,
    request_bytes,
    server_id,
    signed,
)

CLIENTS = 64


def _burst(port: int, data: bytes) -> list[Any]:
    """``CLIENTS`` clients connecting at once, each sending ``data``: their statuses, or the errors they met."""
    barrier = threading.Barrier(CLIENTS)
    outcomes: list[Any] = []

    def client() -> None:
        barrier.wait()
        try:
            outcomes.append(exchange(port, data).status)
        except OSError as exc:
            outcomes.append(repr(exc))

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_a_burst_of_64_clients_is_answered_without_resets(emulator: EmulatorServer) -> None:
    data = signed(emulator.url, "/DescribeSourceServers")
    for _ in range(3):  # rounds: socketserver's backlog of 5 overflowed in every one
        assert _burst(port_of(emulator.url), data) == [200] * CLIENTS


def test_an_oversized_body_is_refused_before_it_is_read(emulator: EmulatorServer) -> None:
    port = port_of(emulator.url)
    headers = {"Host": "localhost", "Content-Type": "application/json", "Content-Length": str(MAX_BODY_BYTES + 1)}
    reply = exchange(port, request_bytes("POST", "/StartCutover", headers))  # no body follows: none is awaited
    assert_json_error(reply)
    assert (reply.status, reply.error_type) == (413, "RequestEntityTooLargeException")
    assert str(MAX_BODY_BYTES) in reply.json()["message"]
    mgn_client(emulator.url).describe_jobs()  # still serving


def test_a_client_that_sends_the_oversized_body_anyway_reads_the_413(emulator: EmulatorServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port_of(emulator.url), timeout=10)
    body = b'{"sourceServerIDs": ["' + b"x" * (2 * MAX_BODY_BYTES) + b'"]}'
    connection.request("POST", "/StartCutover", body=body, headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    reply = Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    connection.close()
    assert (reply.status, reply.error_type) == (413, "RequestEntityTooLargeException")


@pytest.mark.parametrize("length", ["100000000000", "9" * 60])
def test_an_absurd_content_length_is_refused_the_same_way(emulator: EmulatorServer, length: str) -> None:
    headers = {"Host": "localhost", "Content-Length": length}
    reply = exchange(port_of(emulator.url), request_bytes("POST", "/DescribeJobs", headers, b"{}"))
    assert (reply.status, reply.error_type) == (413, "RequestEntityTooLargeException")
    assert_json_error(reply)
    mgn_client(emulator.url).describe_jobs()


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000, b'{"filters": ' * 40 + b"{}" + b"}" * 40, b'{"maxResults": 1e999}', b'{"maxResults": NaN}'],
    ids=["recursion", "deeper-than-the-limit", "out-of-range-number", "nan"],
)
def test_deep_or_non_finite_json_is_a_validation_error(emulator: EmulatorServer, body: bytes) -> None:
    reply = exchange(port_of(emulator.url), signed(emulator.url, "/DescribeJobs", body))
    assert_json_error(reply)
    assert (reply.status, reply.error_type, reply.json()["reason"]) == (400, "ValidationException", "cannotParse")


def test_deep_json_on_an_admin_route_is_a_400(emulator: EmulatorServer) -> None:
    for body in (b"[" * 100_000, b'{"a": ' * 40 + b"1" + b"}" * 40):
        headers = {"Host": "localhost", "Content-Type": "application/json", "Content-Length": str(len(body))}
        reply = exchange(port_of(emulator.url), request_bytes("POST", "/_emulator/faults", headers, body))
        assert_json_error(reply)
        assert reply.status == 400
    assert admin_call(emulator.url, "faults")[0] == 200


MALFORMED = {
    "unknown-method": b"FROB /DescribeJobs HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "options": b"OPTIONS /StartCutover HTTP/1.1\r\nHost: localhost\r\nOrigin: http://evil.example\r\n\r\n",
    "bad-request-line": b"this is not http\r\n\r\n",
    "bad-version": b"GET /DescribeJobs HTTP/9.9\r\nHost: localhost\r\n\r\n",
    "http-0.9": b"GET /DescribeJobs\r\n\r\n",
    "request-line-too-long": b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n",
    "header-too-long": b"GET /DescribeJobs HTTP/1.1\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n",
    "too-many-headers": b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % n for n in range(150)) + b"\r\n",
    "chunked": b"POST /DescribeJobs HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "bad-length": b"POST /DescribeJobs HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1e3\r\n\r\n",
    "two-lengths": b"POST /DescribeJobs HTTP/1.1\r\nHost: l\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
    "negative-length": b"POST /DescribeJobs HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n\r\n",
    "unsigned": b"POST /DescribeJobs HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}",
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_every_malformed_request_is_answered_json_and_not_5xx(emulator: EmulatorServer, name: str) -> None:
    assert_json_error(exchange(port_of(emulator.url), MALFORMED[name]))
    mgn_client(emulator.url).describe_jobs()


def test_mgn_routes_need_a_sigv4_authorization_header(emulator: EmulatorServer) -> None:
    port = port_of(emulator.url)
    body = json.dumps({"sourceServerIDs": [server_id(1)]}).encode()
    # What a cross-site form could send: text/plain, no Authorization.
    plain = {"Host": "localhost", "Content-Type": "text/plain", "Content-Length": str(len(body))}
    reply = exchange(port, request_bytes("POST", "/StartCutover", plain, body))
    assert (reply.status, reply.error_type) == (403, "MissingAuthenticationTokenException")
    reply = exchange(port, request_bytes("POST", "/StartCutover", {**plain, "Authorization": "Bearer x"}, body))
    assert (reply.status, reply.error_type) == (403, "IncompleteSignatureException")
    s3 = signed(emulator.url, "/StartCutover", body).replace(b"/us-east-1/mgn/", b"/us-east-1/s3/")
    assert exchange(port, s3).status == 403
    ec2 = signed(emulator.url, "/StartCutover", body).replace(b"/us-east-1/mgn/", b"/us-east-1/ec2/")
    assert exchange(port, ec2).status == 404  # signed for EC2: served by EC2 (moto), which has no such route
    assert emulator.backend.jobs() == []  # none of them started anything
    assert [(c.service, c.status) for c in emulator.calls()] == [("mgn", 403)] * 3 + [("ec2", 404)]
    assert exchange(port, signed(emulator.url, "/StartCutover", body)).status == 202


def test_admin_writes_need_a_json_content_type(emulator: EmulatorServer) -> None:
    port = port_of(emulator.url)
    body = b'{"error_rate": 1.0}'
    for content_type in ("text/plain", "application/x-www-form-urlencoded", ""):
        headers = {"Host": "localhost", "Content-Type": content_type, "Content-Length": str(len(body))}
        reply = exchange(port, request_bytes("POST", "/_emulator/faults", headers, body))
        assert (reply.status, reply.error_type) == (415, "UnsupportedMediaTypeException")
    reply = exchange(port, request_bytes("DELETE", "/_emulator/calls", {"Host": "localhost"}))
    assert reply.status == 415
    assert emulator.faults.settings.error_rate == 0.0
    headers = {"Host": "localhost", "Content-Type": "application/json; charset=utf-8", "Content-Length": "19"}
    assert exchange(port, request_bytes("POST", "/_emulator/faults", headers, body)).status == 200
    assert emulator.faults.settings.error_rate == 1.0


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:4599", "127.0.0.1.nip.io", "10.0.0.1", "", "a@localhost"]
)
def test_admin_routes_need_a_loopback_host(emulator: EmulatorServer, host: str) -> None:
    headers = {"Host": host} if host else {}
    reply = exchange(port_of(emulator.url), request_bytes("GET", "/_emulator/state", headers))
    assert (reply.status, reply.error_type) == (403, "AccessDeniedException")
    assert "Host" in reply.json()["message"]


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST:4599", "127.0.0.1:1", "127.8.9.10", "[::1]:4599"])
def test_admin_routes_answer_loopback_hosts(emulator: EmulatorServer, host: str) -> None:
    assert exchange(port_of(emulator.url), request_bytes("GET", "/_emulator/state", {"Host": host})).status == 200


@pytest.mark.parametrize(
    "body",
    [b'{"latency_seconds": NaN}', b'{"invisible_seconds": Infinity}', b'{"latency_seconds": -1}',
     b'{"invisible_seconds": 1e400}', b'{"invisible_seconds": 1e308}', b'{"latency_seconds": -Infinity}'],
)
def test_non_finite_or_negative_fault_timings_are_a_400(emulator: EmulatorServer, body: bytes) -> None:
    headers = {"Host": "localhost", "Content-Type": "application/json", "Content-Length": str(len(body))}
    reply = exchange(port_of(emulator.url), request_bytes("POST", "/_emulator/faults", headers, body))
    assert_json_error(reply)
    assert reply.status == 400
    assert emulator.faults.settings.latency_seconds == emulator.faults.settings.invisible_seconds == 0.0
    client = mgn_client(emulator.url)
    job = client.start_cutover(sourceServerIDs=[server_id(1)])["job"]  # and launches still work
    assert client.describe_jobs(filters={"jobIDs": [job["jobID"]]})["items"]
