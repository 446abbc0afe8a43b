"""Turn botocore failures into the package's errors, each one sentence that says what to do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ReadTimeoutError,
)

from ..errors import ConnectionSettingsError, MgnApiError, MgnCutoverError, QuotaExceededError

QUOTA_CODES = {
    "CONCURRENT_JOBS_QUOTA": "20 concurrent jobs per account",
    "ACTIVE_SOURCE_SERVERS_QUOTA": "200 source servers in active jobs per account",
}
_TRANSIENT_HINT = "this is usually temporary (throttling or an outage): run `pulumi up` again shortly."
_TRANSIENT_CODES = {"ThrottlingException", "InternalServerException", "ServiceUnavailable", "RequestTimeout"}


class TransientApiError(MgnCutoverError):
    """Throttling, a 5xx or a connection problem that outlasted botocore's retries: try again later."""


@dataclass(frozen=True)
class ServerConflict:
    source_server_id: str
    message: str


class MgnConflictError(MgnApiError):
    """MGN's ConflictException, with the servers it names."""

    def __init__(self, message: str, conflicts: tuple[ServerConflict, ...], operation: str) -> None:
        super().__init__(message, code="ConflictException", operation=operation)
        self.conflicts = conflicts


def translate(exc: Exception, operation: str, account: str = "") -> MgnCutoverError:
    """The package error for ``exc`` raised by ``operation``."""
    if isinstance(exc, MgnCutoverError):
        return exc
    if isinstance(exc, NoCredentialsError):
        return ConnectionSettingsError(
            "No AWS credentials found: set aws:profile, AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY."
        )
    if isinstance(exc, NoRegionError):
        return ConnectionSettingsError("No AWS region is set for MGN: set the region input or aws:region.")
    if isinstance(exc, (EndpointConnectionError, ConnectTimeoutError, ReadTimeoutError)):
        return TransientApiError(f"MGN {operation} could not be reached ({exc}) even after retries; {_TRANSIENT_HINT}")
    if isinstance(exc, ClientError):
        return _from_client_error(exc, operation, account)
    if isinstance(exc, BotoCoreError):
        return TransientApiError(f"MGN {operation} failed in transport ({exc}) even after retries; {_TRANSIENT_HINT}")
    return MgnApiError(f"MGN {operation} failed unexpectedly: {exc}.", operation=operation)


def _from_client_error(exc: ClientError, operation: str, account: str) -> MgnCutoverError:
    response: dict[str, Any] = dict(exc.response)
    error = response.get("Error", {})
    code = error.get("Code", "")
    message = error.get("Message", "") or str(exc)
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    where = f" in account {account}" if account else ""
    if code in _TRANSIENT_CODES or status >= 500:
        return TransientApiError(
            f"MGN {operation} answered {code or status} ({message}) even after retries; {_TRANSIENT_HINT}"
        )
    if code == "AccessDeniedException" or status == 403:
        return MgnApiError(
            f"MGN denied {operation}{where}: the credentials lack mgn:{operation} ({message}); "
            "grant it (see iam/cutover-policy.json).",
            code=code,
            operation=operation,
        )
    if code == "UninitializedAccountException":
        return MgnApiError(
            f"MGN is not initialized{where} in this region ({operation}: {message}); "
            "initialize Application Migration Service in the console or with InitializeService first.",
            code=code,
            operation=operation,
        )
    details = response.get("errors") or []
    quota = _quota_name(code, details, response)
    if quota:
        return QuotaExceededError(f"MGN refused {operation}: the account is at its quota of {quota} ({message}).")
    if code == "ConflictException":
        conflicts = tuple(
            ServerConflict(d.get("resourceId", ""), d.get("message", "")) for d in details if d.get("resourceId")
        )
        return MgnConflictError(f"MGN refused {operation}: {message}", conflicts, operation)
    return MgnApiError(f"MGN {operation} failed with {code}: {message}", code=code, operation=operation)


def _quota_name(code: str, details: list[dict[str, Any]], response: dict[str, Any]) -> str:
    if code == "ServiceQuotaExceededException":
        return str(response.get("quotaCode") or "a service quota")
    for detail in details:
        if detail.get("code") in QUOTA_CODES:
            return QUOTA_CODES[detail["code"]]
    return ""
