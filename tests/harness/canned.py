"""An HTTP endpoint on loopback that answers MGN operations with canned replies, for what the emulator never says.

Real MGN may answer with values the model does not list yet (a new job status), or with times in another form
than the model's. Real boto3 clients talk to this endpoint over HTTP, as to the emulator:

    with CannedMgn({"DescribeJobs": reply({"items": [...]})}) as mgn:
        client = mgn_client(mgn.url)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from botocore.config import Config

from mgn_resources.aws import Connection, MgnApi, build_client

from .loopback import LoopbackServer, QuietHandler

_ONE_ATTEMPT = Config(retries={"mode": "standard", "max_attempts": 1}, connect_timeout=1, read_timeout=2)


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict[str, Any]
    error_type: str = ""


def reply(body: dict[str, Any], status: int = 200) -> Reply:
    return Reply(status, body)


def error(error_type: str, status: int, **body: Any) -> Reply:
    return Reply(status, body, error_type)


class CannedMgn(LoopbackServer):
    """Answers ``POST /<Operation>`` with ``replies[Operation]``; records the operations called, in order."""

    def __init__(self, replies: dict[str, Reply]) -> None:
        self.replies = replies
        self.calls: list[str] = []
        canned = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                self.request_body()
                operation = self.path.strip("/").split("/")[0].split("?")[0]
                canned.calls.append(operation)
                answer = canned.replies.get(operation, error("ResourceNotFoundException", 404, message="no reply"))
                headers = {"x-amzn-ErrorType": answer.error_type} if answer.error_type else {}
                self.reply(answer.status, json.dumps(answer.body).encode(), "application/json", headers)

        super().__init__(Handler)

    def api(self) -> MgnApi:
        """The adapter on this endpoint: one attempt, short timeouts, so a test sees each answer as it is."""
        return MgnApi(build_client(Connection(region="us-east-1", endpoint_url=self.url), config=_ONE_ATTEMPT))
