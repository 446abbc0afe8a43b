"""CutoverProvider: its import path is stored in every stack that uses it; never move or rename it."""

from __future__ import annotations

from typing import ClassVar

from ..aws import LaunchKind
from ..schema import CUTOVER, ResourceSchema
from .launch_provider import LaunchProvider


class CutoverProvider(LaunchProvider):
    """Starts or adopts an MGN cutover (StartCutover) per server, waits for it, finalizes on request."""

    kind: ClassVar[LaunchKind] = LaunchKind.CUTOVER
    schema: ClassVar[ResourceSchema] = CUTOVER
