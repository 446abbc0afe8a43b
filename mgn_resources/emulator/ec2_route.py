"""The EC2 route: requests signed for ``ec2`` go to moto's EC2 (see :mod:`ec2`), logged like MGN calls."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from mgn_resources.clock import Clock
from mgn_resources.emulator.calls import CallLog, CallRecord
from mgn_resources.emulator.ec2 import NO_MOTO, Ec2Side, Ec2Unavailable, signed_service
from mgn_resources.emulator.hosts import AddressedHere
from mgn_resources.emulator.responses import WireRequest, WireResponse, error_response

_ACCESS_KEY = "Credential="


class Ec2Route:
    def __init__(self, ec2: Ec2Side, calls: CallLog, clock: Clock, addressed_here: AddressedHere) -> None:
        self.ec2 = ec2
        self.calls = calls
        self.clock = clock
        self.addressed_here = addressed_here

    @staticmethod
    def wants(request: WireRequest) -> bool:
        return signed_service(request.headers.get("authorization", ""))[0] == "ec2"

    def handle(self, request: WireRequest) -> WireResponse:
        form = parse_qs(request.body.decode("utf-8", "replace"))
        action = (form.get("Action") or request.query.get("Action") or ["?"])[0]
        host = request.headers.get("host", "")
        if not self.addressed_here(host):
            message = f"EC2 routes answer requests addressed to {self.addressed_here.accepted} only, not Host {host!r}"
            response = WireResponse(403, message.encode(), {"Content-Type": "text/plain"})
        elif not self.ec2.available:
            response = error_response(Ec2Unavailable(NO_MOTO))
        else:
            query = urlencode({k: v for k, v in request.query.items()}, doseq=True)
            status, body, headers = self.ec2.handle(request.method, request.path, query, request.headers, request.body)
            response = WireResponse(status, body, headers)
        authorization = request.headers.get("authorization", "")
        key = authorization.split(_ACCESS_KEY, 1)[-1].split("/", 1)[0] if _ACCESS_KEY in authorization else ""
        self.calls.record(
            CallRecord(
                action,
                {},
                self.clock.now(),
                response.status,
                access_key=key,
                user_agent=request.headers.get("user-agent", ""),
                region=signed_service(authorization)[1],
                account_id=self.ec2.account_id,
                service="ec2",
            )
        )
        return response
