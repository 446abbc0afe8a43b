"""An HTTP endpoint on loopback that answers MGN operations with canned replies, for what the emulator never says.

Real MGN may answer with values the model does not list yet (a new job status), or with times in another form
than the model's. Real boto3 clients talk to this endpoint over HTTP, as to the emulator:

    with CannedMgn({"DescribeJobs": reply({"items": [...]})}) as mgn:
        client = mgn_client(mgn.url)
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from botocore.config import Config

from mgn_resources.aws import Connection, MgnApi, build_client

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


class CannedMgn:
    """Answers ``POST /<Operation>`` with ``replies[Operation]``; records the operations called, in order."""

    def __init__(self, replies: dict[str, Reply]) -> None:
        self.replies = replies
        self.calls: list[str] = []
        canned = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                self.rfile.read(int(self.headers.get("content-length") or 0))
                operation = self.path.strip("/").split("/")[0].split("?")[0]
                canned.calls.append(operation)
                answer = canned.replies.get(operation, error("ResourceNotFoundException", 404, message="no reply"))
                payload = json.dumps(answer.body).encode()
                self.send_response(answer.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                if answer.error_type:
                    self.send_header("x-amzn-ErrorType", answer.error_type)
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *_args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def api(self) -> MgnApi:
        """The adapter on this endpoint: one attempt, short timeouts, so a test sees each answer as it is."""
        return MgnApi(build_client(Connection(region="us-east-1", endpoint_url=self.url), config=_ONE_ATTEMPT))

    def __enter__(self) -> CannedMgn:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
