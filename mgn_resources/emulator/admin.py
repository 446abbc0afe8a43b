"""Admin routes under ``/_emulator/`` (loopback only; not logged; never faulted).

| route | effect |
|---|---|
| ``GET /_emulator/faults`` | the fault settings |
| ``POST /_emulator/faults`` | replace them (JSON object, keys of :class:`FaultSettings`; missing keys reset) |
| ``GET /_emulator/calls`` | the call log ``{"calls": [{operation, body, time, status}]}`` |
| ``DELETE /_emulator/calls`` | clear it |
| ``POST /_emulator/servers`` | add or replace a server (seed entry schema) |
| ``GET /_emulator/state`` | every server and job, as persisted |
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from typing import Any

from mgn_resources.emulator.calls import CallLog
from mgn_resources.emulator.exceptions import AdminForbiddenError, AdminRequestError, MgnError
from mgn_resources.emulator.faults import Faults, FaultSettings
from mgn_resources.emulator.models import MgnBackend
from mgn_resources.emulator.persistence import encode
from mgn_resources.emulator.responses import WireRequest, WireResponse, error_response, json_response
from mgn_resources.emulator.seed import SeedError, parse_server

PREFIX = "/_emulator/"


def is_loopback(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return bool(ip.is_loopback or (mapped is not None and mapped.is_loopback))


class AdminRoutes:
    def __init__(
        self, backend: MgnBackend, faults: Faults, calls: CallLog, on_change: Callable[[], None] | None = None
    ) -> None:
        self.backend = backend
        self.faults = faults
        self.calls = calls
        self.on_change = on_change

    def handle(self, request: WireRequest) -> WireResponse:
        try:
            if not is_loopback(request.remote_addr):
                raise AdminForbiddenError(f"{PREFIX} routes answer loopback clients only, not {request.remote_addr}")
            return self._route(request)
        except MgnError as error:
            return error_response(error)

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
            try:
                server = self.backend.add_server(parse_server(self._json(request), where="server"))
            except SeedError as exc:
                raise AdminRequestError(str(exc)) from exc
            if self.on_change is not None:
                self.on_change()
            return json_response(200, {"server": encode(server)})
        if name == "state" and method == "GET":
            return json_response(
                200, {"servers": encode(self.backend.servers()), "jobs": encode(self.backend.jobs())}
            )
        return json_response(404, {"message": f"No admin route {method} {request.path}", "code": "NotFound"})

    @staticmethod
    def _json(request: WireRequest) -> dict[str, Any]:
        try:
            data = json.loads(request.body or b"{}")
        except ValueError as exc:
            raise AdminRequestError(f"admin request body is not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise AdminRequestError("admin request body must be a JSON object")
        return data
