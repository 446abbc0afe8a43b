"""The thin wire layer: model routes -> faults -> parse -> validate -> backend -> JSON (or an MGN error)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from mgn_resources.clock import Clock
from mgn_resources.emulator import spec
from mgn_resources.emulator.calls import CallLog, CallRecord
from mgn_resources.emulator.exceptions import (
    AccessDeniedError,
    InternalServerError,
    MgnError,
    RouteNotFoundError,
    ThrottlingError,
    UninitializedAccountError,
    ValidationError,
    not_emulated,
)
from mgn_resources.emulator.faults import Faults, Verdict
from mgn_resources.emulator.models import MgnBackend
from mgn_resources.emulator.render import DEFAULT_ACCOUNT, DEFAULT_REGION, Context
from mgn_resources.emulator.validation import validate

_ACCESS_KEY = re.compile(r"Credential=([^/,\s]+)/")
_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/([a-z0-9-]+)/mgn/aws4_request")


@dataclass(frozen=True)
class WireRequest:
    method: str
    path: str  # raw (percent-encoded), without the query string
    query: Mapping[str, list[str]] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""
    remote_addr: str = "127.0.0.1"


@dataclass(frozen=True)
class WireResponse:
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


def json_response(status: int, payload: Any, headers: Mapping[str, str] | None = None) -> WireResponse:
    body = json.dumps(payload).encode()
    return WireResponse(status, body, {"Content-Type": "application/json", **(headers or {})})


def error_response(error: MgnError) -> WireResponse:
    return json_response(error.status, error.body(), error.headers())


Handler = Callable[[MgnBackend, dict[str, Any], Context], dict[str, Any]]

_HANDLERS: dict[str, Handler] = {
    "StartCutover": lambda b, p, c: b.start_cutover(p["sourceServerIDs"], p.get("tags") or {}, c),
    "StartTest": lambda b, p, c: b.start_test(p["sourceServerIDs"], p.get("tags") or {}, c),
    "TerminateTargetInstances": lambda b, p, c: b.terminate_target_instances(
        p["sourceServerIDs"], p.get("tags") or {}, c
    ),
    "DescribeJobs": lambda b, p, c: b.describe_jobs(p.get("filters") or {}, p.get("maxResults"), p.get("nextToken"), c),
    "DescribeJobLogItems": lambda b, p, c: b.describe_job_log_items(
        p["jobID"], p.get("maxResults"), p.get("nextToken")
    ),
    "DescribeSourceServers": lambda b, p, c: b.describe_source_servers(
        p.get("filters") or {}, p.get("maxResults"), p.get("nextToken"), c
    ),
    "FinalizeCutover": lambda b, p, c: b.finalize_cutover(p["sourceServerID"], c),
    "ChangeServerLifeCycleState": lambda b, p, c: b.change_server_life_cycle_state(
        p["sourceServerID"], p["lifeCycle"]["state"], c
    ),
    "MarkAsArchived": lambda b, p, c: b.mark_as_archived(p["sourceServerID"], c),
    "TagResource": lambda b, p, c: b.tag_resource(p["resourceArn"], p["tags"]),
    "UntagResource": lambda b, p, c: b.untag_resource(p["resourceArn"], p["tagKeys"]),
    "ListTagsForResource": lambda b, p, c: b.list_tags_for_resource(p["resourceArn"]),
}
assert set(_HANDLERS) == set(spec.EMULATED_OPERATIONS)


class MgnResponses:
    """Answers MGN requests for one backend; records each in the call log."""

    def __init__(
        self,
        backend: MgnBackend,
        faults: Faults,
        calls: CallLog,
        clock: Clock,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self.backend = backend
        self.faults = faults
        self.calls = calls
        self.clock = clock
        self.on_change = on_change

    def handle(self, request: WireRequest) -> WireResponse:
        found = spec.match_route(request.method, request.path)
        operation = found[0].operation if found else f"{request.method} {request.path}"
        params: dict[str, Any] = {}
        try:
            if found is None:
                raise RouteNotFoundError(f"No MGN operation is routed at {request.method} {request.path}")
            route, labels = found
            if operation not in _HANDLERS:
                raise not_emulated(operation)
            self._inject_faults(operation)
            params = parse_params(operation, request, labels)
            validate(operation, params)
            revision = self.backend.revision
            payload = _HANDLERS[operation](self.backend, params, context(request, params))
            response = json_response(spec.success_status(operation), payload)
            if self.faults.lose_reply(operation):
                response = error_response(InternalServerError(f"{operation} was carried out; its reply was lost"))
            if self.on_change is not None and self.backend.revision != revision:
                self.on_change()
        except MgnError as error:
            response = error_response(error)
        except Exception as exc:  # noqa: BLE001 - a bug must still answer in MGN's error format
            response = error_response(InternalServerError(f"emulator error in {operation}: {exc!r}"))
        found_key = _ACCESS_KEY.search(request.headers.get("authorization", ""))
        self.calls.record(
            CallRecord(
                operation,
                params,
                self.clock.now(),
                response.status,
                access_key=found_key.group(1) if found_key else "",
                user_agent=request.headers.get("user-agent", ""),
            )
        )
        return response

    def _inject_faults(self, operation: str) -> None:
        settings = self.faults.settings
        if settings.latency_seconds and self.faults.applies_to(operation):
            self.clock.sleep(settings.latency_seconds)
        verdict = self.faults.decide(operation)
        if verdict is Verdict.THROTTLE:
            message = f"Rate exceeded for {operation} (emulated throttling)"
            raise ThrottlingError(message, retry_after=settings.retry_after)
        if verdict is Verdict.ERROR:
            raise InternalServerError(f"Internal failure in {operation} (emulated server error)")
        if operation in settings.deny_operations:
            raise AccessDeniedError(f"User is not authorized to perform: mgn:{operation} (emulated denial)")
        if settings.uninitialized and "UninitializedAccountException" in spec.error_codes(operation):
            raise UninitializedAccountError("Account not initialized (emulated)")


def parse_params(operation: str, request: WireRequest, labels: Mapping[str, str]) -> dict[str, Any]:
    """JSON body plus the members the model places in the URI and the query string."""
    params: dict[str, Any] = {}
    if request.body.strip():
        try:
            parsed = json.loads(request.body)
        except ValueError as exc:
            message = f"Request body of {operation} is not valid JSON: {exc}"
            raise ValidationError(message, reason="cannotParse") from exc
        if not isinstance(parsed, dict):
            raise ValidationError(f"Request body of {operation} must be a JSON object", reason="cannotParse")
        params.update(parsed)
    shape = spec.operation(operation).input_shape
    members = shape.members if shape is not None else {}
    for name, member in members.items():
        location = member.serialization.get("location")
        wire_name = member.serialization.get("name", name)
        if location == "uri" and wire_name in labels:
            params[name] = unquote(labels[wire_name])
        elif location == "querystring" and wire_name in request.query:
            values = request.query[wire_name]
            params[name] = list(values) if member.type_name == "list" else values[0]
    return params


def context(request: WireRequest, params: Mapping[str, Any]) -> Context:
    found = _CREDENTIAL_SCOPE.search(request.headers.get("authorization", ""))
    account = params.get("accountID")
    return Context(
        region=found.group(1) if found else DEFAULT_REGION,
        account_id=account if isinstance(account, str) else DEFAULT_ACCOUNT,
    )
