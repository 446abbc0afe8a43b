"""maxResults / nextToken pagination, as moto's paginator does it: a token is bound to the operation and the
parameters that produced it, so a token replayed on another operation or with other filters is refused."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from mgn_emulator.exceptions import FieldProblem, ValidationError

T = TypeVar("T")
#: With no maxResults, a page holds this many items (the model's maximum).
DEFAULT_PAGE = 1000


def _checksum(params: Mapping[str, Any]) -> str:
    """A digest of the request's parameters (paging ones aside), stable across emulator restarts."""
    canonical = json.dumps(params, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def encode_token(operation: str, params: Mapping[str, Any], offset: int) -> str:
    """An opaque token (base64 of JSON, as botocore's and moto's are) for the page at ``offset``."""
    fields = {"operation": operation, "parameterChecksum": _checksum(params), "offset": offset}
    return base64.urlsafe_b64encode(json.dumps(fields).encode()).decode()


def decode_token(token: str, operation: str, params: Mapping[str, Any]) -> int:
    """The offset ``token`` stands for, if ``operation`` with ``params`` returned it; else a ValidationException."""
    try:
        decoded = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (binascii.Error, UnicodeError, ValueError):
        decoded = None
    if not isinstance(decoded, dict):
        raise _invalid("Member is not a token returned by this operation")
    offset = decoded.get("offset")
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise _invalid("Member is not a token returned by this operation")
    if decoded.get("operation") != operation:
        raise _invalid(f"Member is a token of {decoded.get('operation')}, not of {operation}")
    if decoded.get("parameterChecksum") != _checksum(params):
        raise _invalid("Member was returned for other parameters (filters) than this request's")
    return offset


def _invalid(reason: str) -> ValidationError:
    return ValidationError("Invalid nextToken", fields=[FieldProblem("nextToken", reason)])


def paginate(
    items: Sequence[T], max_results: int | None, token: str | None, *, operation: str, params: Mapping[str, Any]
) -> tuple[list[T], str | None]:
    """One page of ``items`` for ``operation`` called with ``params`` (its arguments other than the paging ones)."""
    start = decode_token(token, operation, params) if token else 0
    size = max_results or DEFAULT_PAGE
    page = list(items[start : start + size])
    return page, encode_token(operation, params, start + size) if start + size < len(items) else None
