"""The EC2 route: requests signed for ``ec2`` go to moto's EC2 (see :mod:`ec2`), logged like MGN calls.

A request that may change EC2 (any action but ``Describe*``, ``Get*`` and ``List*``, and a read in a region EC2
has not set up yet) runs as a transaction of the store, as MGN's requests do: it is saved before it is answered,
and undone if the save fails. Reads run under the lock and save nothing. Every answer is EC2's: moto's, or an
XML error with an EC2 code made by :func:`ec2_error_response`, never JSON and never HTML.
"""

from __future__ import annotations

from urllib.parse import urlencode

from mgn_emulator.auth import scope, signed_service
from mgn_emulator.calls import CallLog, CallRecord
from mgn_emulator.ec2 import action_of, is_read
from mgn_emulator.ec2_errors import ec2_error_response
from mgn_emulator.hosts import AddressedHere
from mgn_emulator.persistence import StateFileError
from mgn_emulator.responses import WireRequest, WireResponse
from mgn_emulator.store import Store
from mgn_resources.clock import Clock

#: The EC2 code for an error answer that moto gave without one (its 404 for an unknown action or path is HTML).
_CODES = {400: "InvalidParameterValue", 404: "InvalidAction", 405: "InvalidAction", 500: "InternalError"}


class Ec2Route:
    def __init__(self, store: Store, calls: CallLog, clock: Clock, addressed_here: AddressedHere) -> None:
        self.store = store
        self.ec2 = store.ec2
        self.calls = calls
        self.clock = clock
        self.addressed_here = addressed_here

    @staticmethod
    def wants(request: WireRequest) -> bool:
        return signed_service(request.headers.get("authorization", "")) == "ec2"

    def handle(self, request: WireRequest) -> WireResponse:
        action = action_of(request.query, request.body)
        signed = scope(request.headers.get("authorization", ""))
        key, region = (signed.access_key, signed.region) if signed else ("", "")
        host = request.headers.get("host", "")
        try:
            if not self.addressed_here(host):
                accepted = self.addressed_here.accepted
                message = f"EC2 routes answer requests addressed to {accepted} only, not Host {host!r}"
                response = ec2_error_response(403, "UnauthorizedOperation", message)
            elif is_read(action) and self.ec2.knows_region(region):
                with self.store.backends.lock:
                    response = self._moto(request, action)
            else:
                with self.store.transaction():
                    response = self._moto(request, action)
        except StateFileError as exc:
            response = ec2_error_response(500, "InternalError", f"{action or 'the request'} was not carried out: {exc}")
        except Exception as exc:  # noqa: BLE001 - a bug (moto's or ours) must still answer in EC2's error form
            response = ec2_error_response(500, "InternalError", f"emulator error in {action or 'EC2'}: {exc!r}")
        self.calls.record(
            CallRecord(
                action or f"{request.method} {request.path}",
                {},
                self.clock.now(),
                response.status,
                access_key=key,
                user_agent=request.headers.get("user-agent", ""),
                region=region,
                account_id=self.ec2.account_id,
                service="ec2",
            )
        )
        return response

    def _moto(self, request: WireRequest, action: str) -> WireResponse:
        query = urlencode({k: v for k, v in request.query.items()}, doseq=True)
        try:
            status, body, headers = self.ec2.handle(request.method, request.path, query, request.headers, request.body)
        except ValueError as exc:  # moto parses parameters with int(), float(), ...: the request was malformed
            return ec2_error_response(400, "InvalidParameterValue", f"{action}: {exc}")
        if status >= 400 and b"<Errors>" not in body and b"<ErrorResponse" not in body:
            if status == 404 and request.path == "/" and action:
                message = f"The action {action} is not valid for this web service."
            elif status == 404:
                message = f"No EC2 action at {request.method} {request.path}" + (f" ({action})" if action else "")
            else:
                message = f"{action or 'the request'} failed ({status})"
            code = _CODES.get(status, "InternalError" if status >= 500 else "InvalidRequest")
            return ec2_error_response(status, code, message)
        return WireResponse(status, body, headers)
