"""Turn botocore failures into the package's errors, each one sentence that says what to do."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import urllib3.exceptions
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConfigNotFound,
    ConfigParseError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
    ProfileNotFound,
    ReadTimeoutError,
    SSLError,
)
from botocore.parsers import ResponseParserError

from ..errors import (
    ConnectionSettingsError,
    MgnApiError,
    MgnConflictError,
    MgnCutoverError,
    QuotaExceededError,
    TransientApiError,
    shown,
)
from .quotas import QUOTA_CODES
from .regions import serves_mgn

_TRANSIENT_HINT = "this is usually temporary (throttling or an outage): run `pulumi up` again shortly."
_TRANSIENT_CODES = {"ThrottlingException", "InternalServerException", "ServiceUnavailable", "RequestTimeout"}
# A name that does not resolve: socket.gaierror, which urllib3 1.26 leaves as the context of its NewConnectionError
# and urllib3 2 as the cause of NameResolutionError (a class 1.26 does not have; botocore allows either).
_NAME_NOT_RESOLVED: tuple[type[BaseException], ...] = tuple(
    cls
    for cls in (socket.gaierror, getattr(urllib3.exceptions, "NameResolutionError", None))
    if isinstance(cls, type) and issubclass(cls, BaseException)
)


@dataclass(frozen=True)
class Endpoint:
    """Where a client sends its calls: the endpoint URL botocore resolved, the region, and the service's name."""

    url: str = ""
    region: str = ""
    service: str = "MGN"  # as messages name it; lower-cased, the IAM action prefix


def translate(
    exc: Exception, operation: str, account: str = "", where: Endpoint = Endpoint(), subject: str = ""
) -> MgnCutoverError:
    """The package error for ``exc`` raised by ``operation``; ``subject`` (e.g. "launch template lt-1 of source
    server s-1") is what the call was about, named in the message unless the endpoint itself is at fault. A Python
    exception's own text never reaches the message, and an answer that cannot be used is never called temporary."""
    name = where.service
    if isinstance(exc, MgnCutoverError):
        return exc
    setup = _setup_error(exc, operation, where)  # about the endpoint, whatever the call was about
    if setup is not None:
        return setup
    if subject:
        operation = f"{operation} (for {subject})"
    if isinstance(exc, NoCredentialsError):
        return ConnectionSettingsError(
            "No AWS credentials found: set aws:profile, AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY."
        )
    if isinstance(exc, NoRegionError):
        return ConnectionSettingsError(f"No AWS region is set for {name}: set the region input or aws:region.")
    if isinstance(exc, (EndpointConnectionError, ConnectTimeoutError, ReadTimeoutError)):
        return TransientApiError(
            f"{name} {operation} could not be reached ({exc}) even after retries; {_TRANSIENT_HINT}"
        )
    if isinstance(exc, ClientError):
        return _from_client_error(exc, operation, account, where.service)
    if isinstance(exc, ResponseParserError):  # botocore says "Further retries may succeed": not so, the endpoint
        return _not_the_service(operation, where)
    if isinstance(exc, ParamValidationError):  # refused before sending: retrying would not help
        return MgnApiError(f"{name} {operation} was not sent: {exc}; this is a bug in mgn-cutover, report it.")
    if isinstance(exc, BotoCoreError):
        return TransientApiError(
            f"{name} {operation} failed in transport ({exc}) even after retries; {_TRANSIENT_HINT}"
        )
    return MgnApiError(
        f"{name} {operation} answered something mgn-cutover cannot use; this is a bug in mgn-cutover, report it."
    )


def _not_the_service(operation: str, where: Endpoint) -> ConnectionSettingsError:
    """A body botocore cannot parse as the service's (JSON for MGN, XML for EC2): the endpoint does not serve it."""
    name = where.service
    url = _origin(where.url) or "the endpoint"
    shared = " (EC2 calls go to MGN's endpoint)" if name != "MGN" and where.url else ""
    return ConnectionSettingsError(
        f"{name} {operation}: {url} answered with a body that is not {name}'s response, so it does not serve {name}"
        f"{shared}; check endpoint_url (or AWS_ENDPOINT_URL_MGN) and any proxy in between, then run `pulumi up` "
        "again.",
        setting="endpoint_url",
        endpoint=url,
    )


def _setup_error(exc: Exception, operation: str, where: Endpoint) -> ConnectionSettingsError | None:
    """A TLS failure, a host name that does not resolve or a refused connection: a setting to fix, not an outage."""
    name = where.service
    if not isinstance(exc, (SSLError, EndpointConnectionError)):
        return None
    url = _origin(str(exc.kwargs.get("endpoint_url") or where.url))
    if isinstance(exc, SSLError):
        return ConnectionSettingsError(
            f"{name} {operation}: the TLS handshake with {url} failed ({exc.kwargs.get('error')}); check endpoint_url "
            "(or AWS_ENDPOINT_URL_MGN: https for AWS, http for a local emulator) and, for a private certificate "
            "authority, AWS_CA_BUNDLE.",
            setting="endpoint_url",
            endpoint=url,
        )
    causes = list(_causes(exc))
    if any(isinstance(c, _NAME_NOT_RESOLVED) for c in causes):
        host = urlsplit(url).hostname or url
        if where.region and where.region in host and not serves_mgn(where.region):  # botocore's own host name
            reason = f"MGN is not served in region {shown(where.region)} (botocore's data does not list it)"
            fix = "fix region (or aws:region / AWS_REGION), or set endpoint_url to an endpoint that serves MGN"
            setting = "region"
        else:
            reason = f"the host name {host} does not resolve"
            fix = f"check region ({where.region or 'none set'}) and endpoint_url (or AWS_ENDPOINT_URL_MGN)"
            setting = "endpoint_url"
        return ConnectionSettingsError(
            f"{name} {operation}: {url} could not be reached: {reason}; {fix}.", setting=setting, endpoint=url
        )
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return ConnectionSettingsError(
            f"{name} {operation}: {url} could not be reached: the connection was refused; check that endpoint_url "
            "(or AWS_ENDPOINT_URL_MGN) names a running MGN endpoint.",
            setting="endpoint_url",
            endpoint=url,
        )
    return None  # unreachable network and the like: may be an outage, retried as one


PROFILE_ENV = "AWS_PROFILE"
CONFIG_ERRORS = (ProfileNotFound, ConfigNotFound, ConfigParseError)  # raised while botocore reads ~/.aws/*


def profile_error(exc: Exception, profile: str, source: str) -> ConnectionSettingsError | None:
    """An AWS profile that is not configured, or an AWS config file botocore cannot read: a setting to fix, naming
    the profile and where it came from (``aws:profile`` or ``AWS_PROFILE``); None for anything else."""
    if not isinstance(exc, CONFIG_ERRORS):
        return None
    source = source or PROFILE_ENV  # a profile no setting of ours names: botocore read it from the environment
    unset = "remove it with `pulumi config rm aws:profile`" if source == "aws:profile" else f"unset {source}"
    if isinstance(exc, ProfileNotFound):
        name = str(exc.kwargs.get("profile") or profile)
        return ConnectionSettingsError(
            f"AWS profile {shown(name)} (from {source}) is not in ~/.aws/config or ~/.aws/credentials: fix the "
            f"name, add the profile there, or {unset}.",
            setting=source,
        )
    path = str(exc.kwargs.get("path") or "~/.aws/config")
    named = f" for AWS profile {shown(profile)} (from {source})" if profile else ""
    return ConnectionSettingsError(
        f"The AWS config file {path} cannot be read{named}: fix the file (or AWS_CONFIG_FILE / "
        "AWS_SHARED_CREDENTIALS_FILE, which name it).",
        setting=source if profile else "AWS_CONFIG_FILE",
    )


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc``, the error botocore wraps, and their causes and contexts."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        wrapped = getattr(current, "kwargs", {}).get("error") if isinstance(current, BotoCoreError) else None
        pending += [wrapped if isinstance(wrapped, BaseException) else None, current.__cause__, current.__context__]


def _origin(url: str) -> str:
    """``scheme://host[:port]`` of a request URL (the operation's path is noise in a message)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else url


def _from_client_error(exc: ClientError, operation: str, account: str, service: str) -> MgnCutoverError:
    response: dict[str, Any] = dict(exc.response)
    error = response.get("Error", {})
    code = error.get("Code", "")
    message = error.get("Message", "") or str(exc)
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    where = f" in account {account}" if account else ""
    if code in _TRANSIENT_CODES or status >= 500:
        return TransientApiError(
            f"{service} {operation} answered {code or status} ({message}) even after retries; {_TRANSIENT_HINT}"
        )
    if code == "AccessDeniedException" or status == 403:
        action = operation.split(" ", 1)[0]
        return MgnApiError(
            f"{service} denied {operation}{where}: the credentials lack {service.lower()}:{action} ({message}); "
            "grant it (see iam/cutover-policy.json)."
        )
    if code == "UninitializedAccountException":
        return MgnApiError(
            f"MGN is not initialized{where} in this region ({operation}: {message}); "
            "initialize Application Migration Service in the console or with InitializeService first."
        )
    details = response.get("errors") or []
    quota = _quota_name(code, details, response)
    if quota:
        return QuotaExceededError(
            f"{service} refused {operation}: the account is at its quota of {quota} ({message}).",
            quota_code=next((str(d.get("code")) for d in details if d.get("code") in QUOTA_CODES), code),
        )
    if code == "ConflictException":
        return MgnConflictError(f"{service} refused {operation}: {message}")
    return MgnApiError(f"{service} {operation} failed with {code}: {message}")


def _quota_name(code: str, details: list[dict[str, Any]], response: dict[str, Any]) -> str:
    if code == "ServiceQuotaExceededException":
        return str(response.get("quotaCode") or "a service quota")
    for detail in details:
        if detail.get("code") in QUOTA_CODES:
            return QUOTA_CODES[detail["code"]]
    return ""
