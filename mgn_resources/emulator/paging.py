"""maxResults / nextToken pagination: opaque tokens encoding an offset."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import TypeVar

from mgn_resources.emulator.exceptions import FieldProblem, ValidationError

T = TypeVar("T")
#: With no maxResults, a page holds this many items (the model's maximum).
DEFAULT_PAGE = 1000


def encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"mgn-emulator:{offset}".encode()).decode()


def decode_token(token: str) -> int:
    try:
        prefix, _, number = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
        offset = int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        offset, prefix = -1, ""
    if prefix != "mgn-emulator" or offset < 0:
        problem = FieldProblem("nextToken", "Member is not a token returned by this operation")
        raise ValidationError("Invalid nextToken", fields=[problem])
    return offset


def paginate(items: Sequence[T], max_results: int | None, token: str | None) -> tuple[list[T], str | None]:
    start = decode_token(token) if token else 0
    size = max_results or DEFAULT_PAGE
    page = list(items[start : start + size])
    return page, encode_token(start + size) if start + size < len(items) else None
