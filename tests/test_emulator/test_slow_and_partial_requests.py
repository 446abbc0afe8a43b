"""Half-sent, slow and idle requests, too many connections, bodies that are not UTF-8, and EC2's error form.

Real sockets on loopback against an ``EmulatorServer`` on port 0, with small :class:`HttpLimits` so deadlines
pass in a second or two. Every loop is bounded; timing bounds are generous (a 2-core machine runs the suite).
"""

from __future__ import annotations

import http.client
import json
import selectors
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from botocore.parsers import create_parser

from mgn_emulator import EmulatorServer
from mgn_emulator.bounds import MAX_BODY_BYTES, HttpLimits
from tests.harness.emulator import (
    assert_json_error,
    exchange,
    make_seed,
    mgn_client,
    port_of,
    request_bytes,
    signed,
    signed_headers,
)

SLOW_CLIENTS = 300
GOOD_CALL_SECONDS = 2.0  # generous: the call takes milliseconds
SHORT_DEADLINE = 1.5  # the tests' request deadline (10 s by default)
CLOSE_WITHIN = 15.0  # slow connections must all be closed by then (deadline + generous slack)


@pytest.fixture
def emu() -> Iterator[EmulatorServer]:
    limits = HttpLimits(request_seconds=SHORT_DEADLINE, idle_seconds=1.0)
    with EmulatorServer(seed=make_seed([1, 2]), launch_seconds=0.3, http_limits=limits) as running:
        yield running


def _server_arn(emu: EmulatorServer) -> str:
    client = mgn_client(emu.url)
    arn = str(client.describe_source_servers()["items"][0]["arn"])
    client.tag_resource(resourceArn=arn, tags={"owner": "team-a"})
    return arn


def _tags(emu: EmulatorServer, arn: str) -> dict[str, str]:
    return dict(mgn_client(emu.url).list_tags_for_resource(resourceArn=arn)["tags"])


def _signed_request(emu: EmulatorServer, method: str, path: str, body: bytes = b"", service: str = "mgn") -> bytes:
    headers = signed_headers(f"{emu.url}{path}", method, body, headers={"Content-Type": "application/json"})
    headers = {"Host": f"127.0.0.1:{port_of(emu.url)}", **headers, "Content-Length": str(len(body))}
    data = request_bytes(method, path, headers, body)
    return data.replace(b"/us-east-1/mgn/", f"/us-east-1/{service}/".encode())


def _send_then_hang_up(port: int, data: bytes, how: str) -> bytes:
    """Send ``data``, then close or half-close; what the server answers (read to its end for a half-close)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        if how == "close":
            return b""
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):  # ends when the server closes (its timeout bounds it)
            answer += chunk
        return answer


# ---- nothing is carried out before the request is whole ------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("how", ["close", "half-close"])
def test_headers_without_the_blank_line_are_not_carried_out(emu: EmulatorServer, how: str) -> None:
    arn = _server_arn(emu)
    untag = _signed_request(emu, "DELETE", f"/tags/{quote(arn, safe='')}?tagKeys=owner")
    assert untag.endswith(b"\r\n\r\n")
    answer = _send_then_hang_up(port_of(emu.url), untag[:-2], how)  # every header line, but no blank line
    assert not answer.startswith(b"HTTP/1.1 2"), answer[:200]
    time.sleep(0.5)  # a close gives nothing to wait on: leave the server time to (wrongly) act
    assert _tags(emu, arn) == {"owner": "team-a"}
    assert emu.call_count("UntagResource") == 0


@pytest.mark.slow
@pytest.mark.parametrize("how", ["close", "half-close"])
def test_a_body_shorter_than_its_content_length_is_not_carried_out(emu: EmulatorServer, how: str) -> None:
    arn = _server_arn(emu)
    body = json.dumps({"tags": {"stage": "cut"}}).encode()
    tag = _signed_request(emu, "POST", f"/tags/{quote(arn, safe='')}", body)
    tag = tag.replace(f"Content-Length: {len(body)}".encode(), f"Content-Length: {len(body) + 10}".encode())
    answer = _send_then_hang_up(port_of(emu.url), tag, how)
    assert not answer.startswith(b"HTTP/1.1 2"), answer[:200]
    time.sleep(0.5)
    assert _tags(emu, arn) == {"owner": "team-a"}


# ---- slow and idle connections -------------------------------------------------------------------------------
def _open_slow(port: int, count: int) -> list[socket.socket]:
    """``count`` connections that start a request and never finish its headers."""
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        sock.sendall(b"POST /DescribeJobs HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        sockets.append(sock)
    return sockets


def _trickle_until_closed(sockets: list[socket.socket], within: float) -> dict[socket.socket, bytes]:
    """Send each socket a byte every 0.2 s (so a per-recv timeout never fires) until the server closes them all
    or ``within`` seconds pass; what each one was answered, for those that were closed."""
    answers: dict[socket.socket, bytes] = {s: b"" for s in sockets}
    closed: dict[socket.socket, bytes] = {}
    end = time.monotonic() + within
    with selectors.DefaultSelector() as selector:
        for sock in sockets:
            selector.register(sock, selectors.EVENT_READ)
        while len(closed) < len(sockets) and time.monotonic() < end:
            for key, _ in selector.select(timeout=0.2):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                try:
                    chunk = sock.recv(65536)
                except OSError:
                    chunk = b""
                answers[sock] += chunk
                if not chunk:
                    closed[sock] = answers[sock]
                    selector.unregister(sock)
            for sock in sockets:
                if sock not in closed:
                    try:
                        sock.send(b"a")
                    except OSError:
                        pass
    return closed


def _threads_settle_at(most: int, within: float = 10.0) -> int:
    end = time.monotonic() + within
    while threading.active_count() > most and time.monotonic() < end:
        time.sleep(0.1)
    return threading.active_count()


@pytest.mark.slow
def test_a_good_call_stays_fast_while_hundreds_of_slow_connections_hang(emu: EmulatorServer) -> None:
    client = mgn_client(emu.url)
    client.describe_jobs()
    threads_before = threading.active_count()
    slow = _open_slow(port_of(emu.url), SLOW_CLIENTS)
    try:
        for _ in range(5):
            started = time.monotonic()
            mgn_client(emu.url).describe_source_servers()  # a new client: a new connection each time
            assert time.monotonic() - started < GOOD_CALL_SECONDS
        started = time.monotonic()
        closed = _trickle_until_closed(slow, CLOSE_WITHIN)
        took = time.monotonic() - started
        still_open = SLOW_CLIENTS - len(closed)
        assert not still_open, f"{still_open} slow connections still open after {took:.1f} s"
        # one deadline per request, trickled bytes or not; the answer is a 408, never a 2xx
        assert {answer[:12] for answer in closed.values()} <= {b"HTTP/1.1 408", b""}
    finally:
        for sock in slow:
            sock.close()
    assert _threads_settle_at(threads_before + 2) <= threads_before + 2  # their threads are gone too
    assert mgn_client(emu.url).describe_jobs()["items"] == []


@pytest.mark.slow
def test_an_idle_keep_alive_connection_is_closed(emu: EmulatorServer) -> None:
    with socket.create_connection(("127.0.0.1", port_of(emu.url)), timeout=CLOSE_WITHIN) as sock:
        sock.sendall(signed(emu.url, "/DescribeJobs", close=False))
        response = http.client.HTTPResponse(sock)
        response.begin()
        assert (response.status, response.read(), response.will_close) == (200, b'{"items": []}', False)
        started = time.monotonic()
        assert sock.recv(65536) == b""  # closed by the server after its idle time (1 s here), not 120 s
        assert time.monotonic() - started < CLOSE_WITHIN


def test_connections_beyond_the_bound_close_the_ones_waiting_longest() -> None:
    bound, extra = 20, 10
    limits = HttpLimits(request_seconds=60, max_connections=bound)
    with EmulatorServer(seed=make_seed([1]), http_limits=limits) as emu:
        threads_before = threading.active_count()
        port = port_of(emu.url)
        first = _open_slow(port, bound)
        try:
            time.sleep(0.3)  # all accepted, in order
            later = _open_slow(port, extra)
            for sock in first[:extra]:  # the longest waiting made room for the newcomers, promptly
                sock.settimeout(5)
                assert sock.recv(65536) == b""
            assert threading.active_count() <= threads_before + bound + 2
            started = time.monotonic()
            mgn_client(emu.url).describe_jobs()  # a good call still gets in
            assert time.monotonic() - started < GOOD_CALL_SECONDS
            for sock in first[extra + 1 :] + later:  # the rest are still open
                sock.setblocking(False)
                with pytest.raises(BlockingIOError):
                    sock.recv(1)
        finally:
            for sock in first + later:
                sock.close()


# ---- bodies that are not UTF-8 JSON --------------------------------------------------------------------------
NOT_UTF8 = {
    "escaped-lone-surrogate": b'{"tags": {"k": "\\ud800"}}',
    "escaped-lone-surrogate-key": b'{"tags": {"\\udc00": "v"}}',
    "raw-surrogate-bytes": b'{"tags": {"k": "\xed\xa0\x80"}}',
    "utf-16": '{"tags": {"k": "v"}}'.encode("utf-16"),
    "utf-16-le-no-bom": '{"tags": {"k": "v"}}'.encode("utf-16-le"),
    "utf-32": '{"tags": {"k": "v"}}'.encode("utf-32"),
    "latin-1": '{"tags": {"k": "caf\u00e9"}}'.encode("latin-1"),
}


@pytest.mark.parametrize("name", list(NOT_UTF8))
def test_a_body_that_is_not_utf8_json_is_refused_as_malformed(emu: EmulatorServer, name: str) -> None:
    arn = _server_arn(emu)
    reply = exchange(port_of(emu.url), _signed_request(emu, "POST", f"/tags/{quote(arn, safe='')}", NOT_UTF8[name]))
    assert_json_error(reply)
    assert (reply.status, reply.error_type, reply.json()["reason"]) == (400, "ValidationException", "cannotParse")
    message = reply.json()["message"]
    assert message.startswith("Request body of TagResource is not valid JSON: not ")
    assert "surrogate" in message or "UTF-8" in message
    assert _tags(emu, arn) == {"owner": "team-a"}


def test_a_valid_surrogate_pair_is_text(emu: EmulatorServer) -> None:
    arn = _server_arn(emu)
    body = b'{"tags": {"k": "\\ud83d\\ude00"}}'
    assert exchange(port_of(emu.url), _signed_request(emu, "POST", f"/tags/{quote(arn, safe='')}", body)).status == 200
    assert _tags(emu, arn)["k"] == "\U0001f600"


# ---- EC2's error form at the HTTP layer ----------------------------------------------------------------------
def _ec2_error(reply: Any) -> tuple[int, str]:
    assert reply.headers.get("content-type", "").startswith("text/xml"), (reply.headers, reply.body[:200])
    raw = {"status_code": reply.status, "headers": reply.headers, "body": reply.body}
    parsed = create_parser("ec2").parse(raw, None)
    return reply.status, parsed["Error"]["Code"]


def test_an_ec2_signed_request_refused_by_the_http_layer_is_answered_in_xml(emu: EmulatorServer) -> None:
    port = port_of(emu.url)
    ec2 = _signed_request(emu, "POST", "/", b"Action=DescribeInstances&Version=2016-11-15", service="ec2")
    oversized = ec2.replace(b"Content-Length: 43", f"Content-Length: {MAX_BODY_BYTES + 1}".encode())
    assert _ec2_error(exchange(port, oversized.split(b"\r\n\r\n")[0] + b"\r\n\r\n")) == (
        413, "RequestEntityTooLarge",
    )
    assert _ec2_error(exchange(port, ec2.replace(b"Content-Length: 43", b"Content-Length: 4x3"))) == (
        400, "BadRequest",
    )
    chunked = ec2.replace(b"Content-Length: 43", b"Transfer-Encoding: chunked")
    assert _ec2_error(exchange(port, chunked)) == (411, "LengthRequired")
    assert _ec2_error(exchange(port, b"FROB" + ec2[4:])) == (405, "MethodNotAllowed")


@pytest.mark.slow
def test_an_ec2_signed_request_that_times_out_is_answered_in_xml(emu: EmulatorServer) -> None:
    ec2 = _signed_request(emu, "POST", "/", b"Action=DescribeInstances&Version=2016-11-15", service="ec2")
    reply = exchange(port_of(emu.url), ec2[:-10], timeout=CLOSE_WITHIN)  # the body never ends
    assert _ec2_error(reply) == (408, "RequestTimeout")


def test_ec2_signed_headers_that_cannot_be_parsed_stay_json(emu: EmulatorServer) -> None:
    ec2 = _signed_request(emu, "POST", "/", b"Action=DescribeInstances", service="ec2")
    head, body = ec2.split(b"\r\n\r\n", 1)
    too_many = head + b"".join(b"\r\nX-%d: 1" % n for n in range(150)) + b"\r\n\r\n" + body
    reply = exchange(port_of(emu.url), too_many)
    assert_json_error(reply)
    assert reply.status == 431


@pytest.mark.slow
def test_a_late_mgn_request_is_answered_408_in_json(emu: EmulatorServer) -> None:
    reply = exchange(port_of(emu.url), signed(emu.url, "/DescribeJobs", b'{"maxResults": 5}')[:-3], timeout=10)
    assert_json_error(reply)
    assert (reply.status, reply.error_type) == (408, "RequestTimeoutException")
    assert emu.call_count("DescribeJobs") == 0


def test_the_default_limits_are_sane() -> None:
    limits = HttpLimits()
    assert 1 <= limits.request_seconds <= 60 and limits.request_seconds < limits.idle_seconds <= 300
    assert limits.max_connections >= SLOW_CLIENTS
    with pytest.raises(ValueError, match="max_connections"):
        HttpLimits(max_connections=0)
    with pytest.raises(ValueError, match="request_seconds"):
        HttpLimits(request_seconds=float("nan"))
