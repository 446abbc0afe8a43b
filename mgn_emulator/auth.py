"""MGN requests must carry a SigV4 ``Authorization`` header, as AWS requires (the signature is not checked).

The header keeps cross-site requests out: a browser cannot add it to one without a CORS preflight, which the
emulator never grants. It does not stop DNS rebinding (the page is then same-origin and may set any header);
the ``Host`` check (:mod:`hosts`) does. Its credential scope also names the region the request is for, which
picks the backend (see :mod:`backend_dict`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mgn_emulator import spec
from mgn_emulator.exceptions import MgnError

#: The credential scope that opens a SigV4 ``Authorization`` header: access key ID, date, region and service.
_SCOPE = (
    r"AWS4-HMAC-SHA256\s+Credential=(?P<key>[^/,\s]+)/(?P<date>[0-9]{8})/(?P<region>[a-z0-9-]+)/"
    r"(?P<service>[a-z0-9-]+)/"
)
_SCOPE_ONLY = re.compile(_SCOPE)
_SIGV4 = re.compile(_SCOPE + r"aws4_request,\s*SignedHeaders=[a-z0-9;-]+,\s*Signature=[0-9a-f]+")


class AuthError(MgnError):
    """403 with the code AWS's front door answers (not an error shape of the MGN model)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code

    @property
    def status(self) -> int:
        return 403

    def body(self) -> dict[str, Any]:
        return {"message": self.message}


@dataclass(frozen=True)
class Signer:
    """Who signed (the access key ID, never the secret), for which region and which service."""

    access_key: str
    region: str
    service: str


def scope(authorization: str) -> Signer | None:
    """The credential scope of a SigV4 ``Authorization`` header, read leniently (EC2's route); None if none."""
    found = _SCOPE_ONLY.match(authorization.strip())
    return Signer(found["key"], found["region"], found["service"]) if found else None


def signed_service(authorization: str) -> str:
    """The service an ``Authorization`` header is scoped to ("ec2" goes to moto); "" if it names none."""
    signed = scope(authorization)
    return signed.service if signed else ""


def signer(authorization: str) -> Signer:
    """The SigV4 credential scope of a whole MGN ``Authorization`` header; :class:`AuthError` if it is not one."""
    if not authorization:
        raise AuthError("MissingAuthenticationTokenException", "Missing Authentication Token")
    found = _SIGV4.fullmatch(authorization.strip())
    if found is None:
        raise AuthError(
            "IncompleteSignatureException",
            "Authorization header requires AWS4-HMAC-SHA256 with Credential, SignedHeaders and Signature",
        )
    service = spec.service_model().metadata["signingName"]
    if found["service"] != service:
        raise AuthError(
            "InvalidSignatureException",
            f"Credential should be scoped to correct service: '{service}', not '{found['service']}'",
        )
    return Signer(found["key"], found["region"], found["service"])
