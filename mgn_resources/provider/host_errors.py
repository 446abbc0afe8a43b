"""Our errors reach the pulumi CLI as their one sentence, not under a Python traceback.

The SDK's dynamic-provider host answers every exception from check/diff/create/read/update/delete with
``context.abort(UNKNOWN, traceback.format_exc())``, so the CLI would print a traceback through the SDK and this
package above the sentence that matters. On the first configure() inside the host, the host module's
``traceback`` is given a ``format_exc`` that returns just the message for the package's own errors and the
full traceback for anything else (a bug needs its traceback). Should the SDK change so that this no longer
applies, only the look of the errors changes.
"""

from __future__ import annotations

import sys
import traceback
from types import ModuleType
from typing import Any

from ..errors import MgnCutoverError
from .host_pool import inside_dynamic_host


class _UserFacingTraceback:
    """The ``traceback`` module, but ``format_exc`` of one of our errors is its message alone."""

    def __getattr__(self, name: str) -> Any:
        return getattr(traceback, name)

    @staticmethod
    def format_exc(limit: int | None = None, chain: bool = True) -> str:
        exc = sys.exception()
        if isinstance(exc, MgnCutoverError):
            return str(exc)
        return traceback.format_exc(limit, chain)


def plain_user_errors() -> bool:
    """Inside the dynamic-provider host, show our errors without a traceback; True if the host was adjusted."""
    if not inside_dynamic_host():
        return False
    host = sys.modules["__main__"]
    if not isinstance(getattr(host, "traceback", None), ModuleType):
        return isinstance(getattr(host, "traceback", None), _UserFacingTraceback)
    host.traceback = _UserFacingTraceback()  # type: ignore[attr-defined]
    return True
