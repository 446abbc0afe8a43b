"""What every provider method needs: props without the host's ``__provider``, the unknown-value test, user errors."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pulumi.output import Unknown

from ..errors import MgnCutoverError

T = TypeVar("T")


def without_provider(props: Mapping[str, Any]) -> dict[str, Any]:
    """The props (inputs or outputs) without ``__provider``, the pickled provider the host adds to each."""
    return {k: v for k, v in props.items() if k != "__provider"}


def is_unknown(value: Any) -> bool:
    """Whether ``value`` is or holds an Unknown (a value not known during preview), however deeply nested."""
    pending, seen = [value], set()
    while pending:
        current = pending.pop()
        if isinstance(current, Unknown):
            return True
        if isinstance(current, (list, dict)) and id(current) not in seen:
            seen.add(id(current))
            pending.extend(current.values() if isinstance(current, dict) else current)
    return False


def user_errors(call: Callable[[], T]) -> T:
    """Our errors reach the user as their one sentence: drop botocore's chained traceback."""
    try:
        return call()
    except MgnCutoverError as exc:
        raise exc.with_traceback(None) from None
