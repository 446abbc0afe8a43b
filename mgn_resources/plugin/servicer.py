"""Our errors reach the pulumi CLI as their one sentence, not under a Python stack.

The SDK's gRPC servicer (``pulumi.provider.experimental.server.ProviderServicer``) answers an exception from a
provider method with ``Exception(f"{error}:\\n{stack}")`` (or, in later SDKs, lets gRPC answer ``Unexpected <class
...>: {error}``), so the CLI would print the stack through the SDK and this package after the sentence that matters.
``PlainErrorsServicer`` aborts the call with the sentence alone for the package's own errors (its names as this face
spells them: ``plugin_text``) and leaves anything else as the SDK answers it (a bug needs its stack).
``serve`` makes ``server.main`` build this servicer; should the SDK change so that this no longer applies, only the
look of the errors changes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

import grpc
from pulumi.provider.experimental import server

from ..errors import MgnCutoverError
from .text import plugin_text

#: The RPCs whose errors the servicer shows plain: every one the provider answers.
RPCS = (
    "GetSchema",
    "CheckConfig",
    "DiffConfig",
    "Configure",
    "Check",
    "Diff",
    "Create",
    "Read",
    "Update",
    "Delete",
    "Invoke",
)

def user_error(exc: BaseException) -> MgnCutoverError | None:
    """The package's error ``exc`` is, or the one the SDK wrapped in a plain ``Exception`` with its stack."""
    if isinstance(exc, MgnCutoverError):
        return exc
    inner = exc.__context__
    if type(exc) is Exception and isinstance(inner, MgnCutoverError) and str(exc).startswith(str(inner)):
        return inner
    return None


Handler = Callable[[Any, Any, Any], Awaitable[Any]]


def _plain_errors(method: Handler) -> Handler:
    @wraps(method)
    async def answer(self: Any, request: Any, context: Any) -> Any:
        try:
            return await method(self, request, context)
        except Exception as exc:
            error = user_error(exc)
            if error is None:
                raise
            await context.abort(grpc.StatusCode.UNKNOWN, plugin_text(str(error)))

    return answer


class PlainErrorsServicer(server.ProviderServicer):
    """The SDK's servicer, answering the package's errors with their sentence alone."""


for _rpc in RPCS:
    if callable(getattr(server.ProviderServicer, _rpc, None)):
        setattr(PlainErrorsServicer, _rpc, _plain_errors(getattr(server.ProviderServicer, _rpc)))


def serve(args: list[str], version: str, provider: Any) -> None:
    """``server.main``, building ``PlainErrorsServicer`` in place of the SDK's own."""
    if isinstance(getattr(server, "ProviderServicer", None), type):
        server.ProviderServicer = PlainErrorsServicer  # type: ignore[misc]
    server.main(args, version, provider)
