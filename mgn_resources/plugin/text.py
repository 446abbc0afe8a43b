"""Messages as this face's users know the names in them: the lifecycle speaks the input schema's snake_case names
and the dynamic face's ``aws:region``/``aws:profile``; the plugin's users write camelCase and ``mgn:region``."""

from __future__ import annotations

import re
from functools import cache

from ..schema.package import PACKAGE_NAME, all_names, camel

_SNAKE_WORD = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_STACK_SETTINGS = re.compile(r"\baws:(region|profile)\b")


@cache
def _names() -> frozenset[str]:
    return frozenset(all_names())


def plugin_text(text: str) -> str:
    """A message as this face's users know the names in it: each property name of the package (a snake_case word)
    spelled camelCase (``onDelete``), and the stack settings the lifecycle calls ``aws:region`` and ``aws:profile``
    by their provider configuration keys here (``mgn:region``, ``mgn:profile``)."""
    text = _STACK_SETTINGS.sub(lambda key: f"{PACKAGE_NAME}:{key[1]}", text)
    return _SNAKE_WORD.sub(lambda word: camel(word[0]) if word[0] in _names() else word[0], text)
