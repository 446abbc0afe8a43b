"""The one AWS call wrapper of the adapter: a call's request and the reading of its answer, with every failure
translated to one of the package's errors, naming the operation, the endpoint and what the call was about."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from botocore.exceptions import ClientError

from ..errors import MgnCutoverError, UnexpectedResponseError
from .errors import Endpoint, translate

T = TypeVar("T")


def account_args(account_id: str) -> dict[str, Any]:
    """MGN's ``accountID`` argument (multi-account management), or none for the caller's own account."""
    return {"accountID": account_id} if account_id else {}


def endpoint_of(client: Any, service: str = "MGN") -> Endpoint:
    meta = client.meta
    return Endpoint(url=str(meta.endpoint_url or ""), region=str(meta.region_name or ""), service=service)


def call_aws(
    operation: str,
    call: Callable[[], T],
    *,
    client: Any,
    account_id: str = "",
    service: str = "MGN",
    subject: str = "",
    not_found: Callable[[ClientError], MgnCutoverError | None] = lambda _exc: None,
) -> T:
    """``call()`` with every failure translated; ``not_found`` may name a ClientError more precisely first."""
    try:
        return call()
    except UnexpectedResponseError as exc:
        raise exc.during(operation) from None
    except MgnCutoverError:
        raise
    except ClientError as exc:
        raise not_found(exc) or translate(exc, operation, account_id, endpoint_of(client, service), subject) from exc
    except Exception as exc:  # noqa: BLE001 - every failure is translated to one of ours
        raise translate(exc, operation, account_id, endpoint_of(client, service), subject) from exc
