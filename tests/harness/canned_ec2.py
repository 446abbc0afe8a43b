"""An HTTP endpoint on loopback that answers EC2 actions as real EC2 does (query protocol in, XML out), with canned
replies for what the emulator never says: an empty ``LaunchTemplateVersions``, EC2's NotFound errors, an instance
that EC2 answers NotFound for a few times and then lists, a body that is not EC2's XML at all.

    with CannedEc2({"DescribeInstanceStatus": [not_found("InvalidInstanceID.NotFound", "..."), statuses(...)]}) as ec2:
        client = ec2.client()

A reply is an :class:`Ec2Reply`, a list of them (one per call, the last one repeated), or a function of the request's
parameters that returns one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

import boto3
from botocore.config import Config

from .loopback import LoopbackServer, QuietHandler

_ONE_ATTEMPT = Config(retries={"mode": "standard", "max_attempts": 1}, connect_timeout=1, read_timeout=2)
_NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/"


@dataclass(frozen=True)
class Ec2Reply:
    status: int
    body: bytes
    content_type: str = "text/xml;charset=UTF-8"


Answer = Ec2Reply | Sequence[Ec2Reply] | Callable[[Mapping[str, list[str]]], Ec2Reply]


def answer(action: str, inner: str) -> Ec2Reply:
    """A successful answer to ``action`` with ``inner`` (XML) as its members."""
    body = f'<{action}Response xmlns="{_NAMESPACE}"><requestId>canned</requestId>{inner}</{action}Response>'
    return Ec2Reply(200, body.encode())


def ec2_error(code: str, message: str, status: int = 400) -> Ec2Reply:
    """An error as EC2 sends it: ``<Response><Errors><Error><Code>``."""
    body = (
        f"<Response><Errors><Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error></Errors>"
        "<RequestID>canned</RequestID></Response>"
    )
    return Ec2Reply(status, body.encode())


def not_json_xml(status: int = 200) -> Ec2Reply:
    """A body that is not EC2's XML (what an endpoint that does not serve EC2 may send)."""
    return Ec2Reply(status, b'{"message": "EC2 is not served here"}', "application/json")


def template_versions(*versions: tuple[int, str]) -> Ec2Reply:
    """DescribeLaunchTemplateVersions listing (version number, instance type) pairs; none: an empty list."""
    items = "".join(
        f"<item><versionNumber>{number}</versionNumber><launchTemplateData><instanceType>{kind}</instanceType>"
        "</launchTemplateData></item>"
        for number, kind in versions
    )
    return answer("DescribeLaunchTemplateVersions", f"<launchTemplateVersionSet>{items}</launchTemplateVersionSet>")


def statuses(found: Mapping[str, str], checks: str = "ok") -> Ec2Reply:
    """DescribeInstanceStatus listing instance ID -> state name, both status checks at ``checks``."""
    items = "".join(
        f"<item><instanceId>{iid}</instanceId><availabilityZone>us-east-1a</availabilityZone>"
        f"<instanceState><code>16</code><name>{state}</name></instanceState>"
        f"<systemStatus><status>{checks}</status></systemStatus>"
        f"<instanceStatus><status>{checks}</status></instanceStatus></item>"
        for iid, state in found.items()
    )
    return answer("DescribeInstanceStatus", f"<instanceStatusSet>{items}</instanceStatusSet>")


def instances_not_found(instance_ids: Sequence[str]) -> Ec2Reply:
    """EC2's answer for instance IDs it does not know (worded as EC2 words it)."""
    if len(instance_ids) == 1:
        return ec2_error("InvalidInstanceID.NotFound", f"The instance ID '{instance_ids[0]}' does not exist")
    return ec2_error("InvalidInstanceID.NotFound", f"The instance IDs '{', '.join(instance_ids)}' do not exist")


def instance_ids(params: Mapping[str, list[str]]) -> list[str]:
    """The ``InstanceIds`` of a query request (``InstanceId.1``, ``InstanceId.2``...)."""
    keys = sorted((k for k in params if k.startswith("InstanceId.")), key=lambda k: int(k.split(".")[1]))
    return [params[k][0] for k in keys]


class CannedEc2(LoopbackServer):
    """Answers ``POST /`` (``Action=...``) with ``replies[Action]``; records (action, parameters) in order."""

    def __init__(self, replies: dict[str, Answer]) -> None:
        self.replies = replies
        self.calls: list[tuple[str, dict[str, list[str]]]] = []
        self._lock = threading.Lock()
        canned = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                params = parse_qs(self.request_body().decode(), keep_blank_values=True)
                action = params.get("Action", [""])[0]
                answer = canned._reply(action, params)
                self.reply(answer.status, answer.body, answer.content_type)

        super().__init__(Handler)

    def _reply(self, action: str, params: dict[str, list[str]]) -> Ec2Reply:
        with self._lock:
            calls = sum(1 for done, _ in self.calls if done == action)
            self.calls.append((action, params))
        found = self.replies.get(action)
        if found is None:
            return ec2_error("InvalidAction", f"The action {action} is not valid for this web service.")
        if isinstance(found, Ec2Reply):
            return found
        if callable(found):
            return found(params)
        return found[min(calls, len(found) - 1)]

    def actions(self) -> list[str]:
        return [action for action, _ in self.calls]

    def client(self) -> Any:
        """A real boto3 EC2 client for this endpoint: one attempt, short timeouts."""
        return boto3.client(
            "ec2", endpoint_url=self.url, region_name="us-east-1", aws_access_key_id="test",
            aws_secret_access_key="test", config=_ONE_ATTEMPT,
        )
