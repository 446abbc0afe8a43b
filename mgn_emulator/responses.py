"""The thin wire layer: model routes -> faults -> parse -> validate -> backend -> JSON (or an MGN error)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from mgn_emulator import spec
from mgn_emulator.auth import AuthError, Signer, signer
from mgn_emulator.backend import MgnBackend
from mgn_emulator.bounds import TooDeepError, load_json
from mgn_emulator.calls import CallLog, CallRecord
from mgn_emulator.exceptions import (
    AccessDeniedError,
    InternalServerError,
    MgnError,
    RouteNotFoundError,
    ThrottlingError,
    UninitializedAccountError,
    ValidationError,
    not_emulated,
)
from mgn_emulator.faults import Faults, Verdict
from mgn_emulator.hosts import AddressedHere
from mgn_emulator.models import ACCOUNT_ID
from mgn_emulator.persistence import StateFileError
from mgn_emulator.render import Context
from mgn_emulator.store import Store
from mgn_emulator.validation import validate
from mgn_resources.clock import Clock

#: Operations that name their resource by ARN (and so its account); the others may take ``accountID``.
_BY_ARN = frozenset({"TagResource", "UntagResource", "ListTagsForResource"})
#: Operations that create state in an account and region that may hold nothing yet (their backend is kept).
_CREATING = frozenset({"CreateApplication", "CreateWave"})


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


def success_response(operation: str, payload: Any) -> WireResponse:
    """The model's success status; a 204 (DeleteApplication, DeleteWave) has no body at all, as HTTP wants."""
    status = spec.success_status(operation)
    return WireResponse(204, b"") if status == 204 else json_response(status, payload)


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
    "GetLaunchConfiguration": lambda b, p, c: b.get_launch_configuration(p["sourceServerID"], c),
    "UpdateLaunchConfiguration": lambda b, p, c: b.update_launch_configuration(p["sourceServerID"], p, c),
    "CreateApplication": lambda b, p, c: b.create_application(p["name"], p.get("description"), p.get("tags") or {}, c),
    "UpdateApplication": lambda b, p, c: b.update_application(
        p["applicationID"], p.get("name"), p.get("description"), c
    ),
    "DeleteApplication": lambda b, p, c: b.delete_application(p["applicationID"]),
    "ArchiveApplication": lambda b, p, c: b.archive_application(p["applicationID"], c),
    "UnarchiveApplication": lambda b, p, c: b.unarchive_application(p["applicationID"], c),
    "AssociateSourceServers": lambda b, p, c: b.associate_source_servers(p["applicationID"], p["sourceServerIDs"]),
    "DisassociateSourceServers": lambda b, p, c: b.disassociate_source_servers(
        p["applicationID"], p["sourceServerIDs"]
    ),
    "ListApplications": lambda b, p, c: b.list_applications(
        p.get("filters") or {}, p.get("maxResults"), p.get("nextToken"), c
    ),
    "CreateWave": lambda b, p, c: b.create_wave(p["name"], p.get("description"), p.get("tags") or {}, c),
    "UpdateWave": lambda b, p, c: b.update_wave(p["waveID"], p.get("name"), p.get("description"), c),
    "DeleteWave": lambda b, p, c: b.delete_wave(p["waveID"]),
    "ArchiveWave": lambda b, p, c: b.archive_wave(p["waveID"], c),
    "UnarchiveWave": lambda b, p, c: b.unarchive_wave(p["waveID"], c),
    "AssociateApplications": lambda b, p, c: b.associate_applications(p["waveID"], p["applicationIDs"]),
    "DisassociateApplications": lambda b, p, c: b.disassociate_applications(p["waveID"], p["applicationIDs"]),
    "ListWaves": lambda b, p, c: b.list_waves(p.get("filters") or {}, p.get("maxResults"), p.get("nextToken"), c),
}
assert set(_HANDLERS) == set(spec.EMULATED_OPERATIONS)


class MgnResponses:
    """Answers MGN requests: each one signed, routed, validated, and run against its account's and region's backend."""

    def __init__(
        self, store: Store, faults: Faults, calls: CallLog, clock: Clock, addressed_here: AddressedHere | None = None
    ) -> None:
        self.store = store
        self.faults = faults
        self.calls = calls
        self.clock = clock
        self.addressed_here = addressed_here or AddressedHere("127.0.0.1")

    def handle(self, request: WireRequest) -> WireResponse:
        found = spec.match_route(request.method, request.path)
        operation = found[0].operation if found else f"{request.method} {request.path}"
        params: dict[str, Any] = {}
        signed: Signer | None = None
        backend: MgnBackend | None = None
        try:
            self._check_host(request.headers.get("host", ""))
            signed = signer(request.headers.get("authorization", ""))
            if found is None:
                raise RouteNotFoundError(f"No MGN operation is routed at {request.method} {request.path}")
            route, labels = found
            if operation not in _HANDLERS:
                raise not_emulated(operation)
            self._inject_faults(operation)
            params = parse_params(operation, request, labels)
            validate(operation, params)
            with self.store.transaction():
                backend = self._backend(operation, params, signed.region)
                payload = _HANDLERS[operation](backend, params, Context(backend.region, backend.account_id))
            response = success_response(operation, payload)
            if self.faults.lose_reply(operation):
                response = error_response(InternalServerError(f"{operation} was carried out; its reply was lost"))
        except MgnError as error:
            response = error_response(error)
        except StateFileError as exc:
            response = error_response(InternalServerError(f"{operation} was not carried out: {exc}"))
        except Exception as exc:  # noqa: BLE001 - a bug must still answer in MGN's error format
            response = error_response(InternalServerError(f"emulator error in {operation}: {exc!r}"))
        self.calls.record(
            CallRecord(
                operation,
                params,
                self.clock.now(),
                response.status,
                access_key=signed.access_key if signed else "",
                user_agent=request.headers.get("user-agent", ""),
                region=signed.region if signed else "",
                account_id=backend.account_id if backend else "",
            )
        )
        return response

    def _check_host(self, host: str) -> None:
        """Against DNS rebinding: a page whose name now resolves to 127.0.0.1 may sign, but cannot change Host."""
        if not self.addressed_here(host):
            raise AuthError(
                "AccessDeniedException",
                f"MGN routes answer requests addressed to {self.addressed_here.accepted} only, not Host {host!r}",
            )

    def _backend(self, operation: str, params: Mapping[str, Any], region: str) -> MgnBackend:
        """The backend of the request's account (``accountID``, or the ARN's, else the emulator's own) and region."""
        backends = self.store.backends
        account = params.get("accountID")
        if operation in _BY_ARN:
            parts = str(params.get("resourceArn", "")).split(":")
            account = parts[4] if len(parts) > 4 else None
        if not isinstance(account, str) or not ACCOUNT_ID.fullmatch(account):
            account = backends.account_id
        if operation in _CREATING:
            return backends.ensure(account, region)  # inside the transaction: a refused create keeps no backend
        return backends.get(account, region)

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
            parsed = load_json(request.body)
        except TooDeepError as exc:
            raise ValidationError(f"Request body of {operation} is {exc}", reason="cannotParse") from None
        except ValueError as exc:
            message = f"Request body of {operation} is not valid JSON: {exc}"
            raise ValidationError(message, reason="cannotParse") from None
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
