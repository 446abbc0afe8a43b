"""Admin routes under ``/_emulator/`` (loopback only; not logged; never faulted).

| route | effect |
|---|---|
| ``GET /_emulator/faults`` | the fault settings |
| ``POST /_emulator/faults`` | replace them (JSON object, keys of :class:`FaultSettings`; missing keys reset) |
| ``GET /_emulator/calls`` | the call log ``{"calls": [{operation, body, time, status, region, ...}]}`` |
| ``DELETE /_emulator/calls`` | clear it |
| ``POST /_emulator/servers[?region=R&account_id=A]`` | add or replace a server (seed entry schema) |
| ``GET /_emulator/state`` | every account's and region's servers, jobs, applications and waves, as persisted |

Only a loopback client, addressing a loopback ``Host`` (against DNS rebinding), is answered; a write
(anything but GET and HEAD) must say ``Content-Type: application/json``, which a cross-site form or a
``no-cors`` fetch cannot send without a CORS preflight (never granted).
"""

from __future__ import annotations

from typing import Any

from mgn_emulator.bounds import load_json
from mgn_emulator.calls import CallLog
from mgn_emulator.codec import encode
from mgn_emulator.exceptions import AdminForbiddenError, AdminRequestError, HttpError, MgnError
from mgn_emulator.faults import Faults, FaultSettings
from mgn_emulator.hosts import is_loopback, is_loopback_host
from mgn_emulator.models import ACCOUNT_ID, REGION
from mgn_emulator.persistence import StateFileError, payload
from mgn_emulator.responses import WireRequest, WireResponse, error_response, json_response
from mgn_emulator.seed import SeedError, parse_server
from mgn_emulator.store import Store

PREFIX = "/_emulator/"
_READS = frozenset({"GET", "HEAD"})


class AdminRoutes:
    def __init__(self, store: Store, faults: Faults, calls: CallLog) -> None:
        self.store = store
        self.faults = faults
        self.calls = calls

    def handle(self, request: WireRequest) -> WireResponse:
        try:
            self._check_caller(request)
            return self._route(request)
        except MgnError as error:
            return error_response(error)
        except StateFileError as exc:
            return error_response(HttpError(500, "InternalServerException", f"nothing was changed: {exc}"))
        except Exception as exc:  # noqa: BLE001 - a bug must still answer JSON
            return error_response(HttpError(500, "InternalServerException", f"emulator error: {exc!r}"))

    @staticmethod
    def _check_caller(request: WireRequest) -> None:
        if not is_loopback(request.remote_addr):
            raise AdminForbiddenError(f"{PREFIX} routes answer loopback clients only, not {request.remote_addr}")
        host = request.headers.get("host", "")
        if not is_loopback_host(host):
            raise AdminForbiddenError(
                f"{PREFIX} routes answer requests addressed to localhost or a loopback address only, not Host {host!r}"
            )
        media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if request.method not in _READS and media != "application/json":
            raise AdminRequestError(
                f"{request.method} {request.path} needs Content-Type: application/json, not {media or 'none'!r}",
                status=415,
                code="UnsupportedMediaTypeException",
            )

    def _route(self, request: WireRequest) -> WireResponse:
        name = request.path[len(PREFIX) :].strip("/")
        method = request.method
        if name == "faults" and method == "GET":
            return json_response(200, self.faults.settings.to_dict())
        if name == "faults" and method == "POST":
            try:
                settings = FaultSettings.from_mapping(self._json(request), where="faults")
            except ValueError as exc:
                raise AdminRequestError(str(exc)) from exc
            self.faults.replace(settings)
            return json_response(200, settings.to_dict())
        if name == "calls" and method == "GET":
            return json_response(200, {"calls": [r.to_dict() for r in self.calls.records()]})
        if name == "calls" and method == "DELETE":
            self.calls.clear()
            return json_response(200, {"calls": []})
        if name == "servers" and method == "POST":
            return self._add_server(request)
        if name == "state" and method == "GET":
            return json_response(200, payload(self.store.backends.stored()))
        raise HttpError(404, "NotFoundException", f"No admin route {method} {request.path}")

    def _add_server(self, request: WireRequest) -> WireResponse:
        backends = self.store.backends
        account = request.query.get("account_id", [backends.account_id])[-1]
        region = request.query.get("region", [backends.region])[-1]
        if not ACCOUNT_ID.fullmatch(account):
            raise AdminRequestError(f"account_id {account!r} is not a 12-digit account ID")
        if not REGION.fullmatch(region):
            raise AdminRequestError(f"region {region!r} is not a region name such as us-east-1")
        try:
            spec = parse_server(self._json(request), where="server")
        except SeedError as exc:
            raise AdminRequestError(str(exc)) from exc
        with self.store.transaction():
            server = backends.ensure(account, region).add_server(spec)
        return json_response(200, {"server": encode(server), "account_id": account, "region": region})

    @staticmethod
    def _json(request: WireRequest) -> dict[str, Any]:
        try:
            data = load_json(request.body or b"{}")
        except ValueError as exc:
            raise AdminRequestError(f"admin request body is not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise AdminRequestError("admin request body must be a JSON object")
        return data
