"""CutoverProvider: its import path is stored in every stack that uses it; never move or rename it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ..aws import LaunchKind
from ..engine import LaunchEngine
from ..schema import CUTOVER, ResourceSchema
from .launch_provider import LaunchProvider, user_errors


class CutoverProvider(LaunchProvider):
    """Starts or adopts an MGN cutover (StartCutover), waits for it, finalizes on request."""

    kind: ClassVar[LaunchKind] = LaunchKind.CUTOVER
    schema: ClassVar[ResourceSchema] = CUTOVER

    def update_extras(
        self, engine: LaunchEngine, id_: str, olds: Mapping[str, Any], inputs: Mapping[str, Any], outs: dict[str, Any]
    ) -> None:
        if inputs.get("finalize") and not olds.get("finalized"):
            ids = tuple(olds.get("source_server_ids") or ())
            user_errors(lambda: engine.finalize(id_, ids))
            outs["finalized"] = True
