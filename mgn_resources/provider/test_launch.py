"""TestLaunchProvider: its import path is stored in every stack that uses it; never move or rename it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ..aws import LaunchKind
from ..engine import LaunchEngine
from ..schema import TEST_LAUNCH, ResourceSchema
from .launch_provider import LaunchProvider, user_errors


class TestLaunchProvider(LaunchProvider):
    """Starts or adopts an MGN test launch (StartTest), waits for it, marks the servers ready for cutover."""

    __test__ = False  # not a pytest test class, whatever its name
    kind: ClassVar[LaunchKind] = LaunchKind.TEST
    schema: ClassVar[ResourceSchema] = TEST_LAUNCH

    def update_extras(
        self, engine: LaunchEngine, id_: str, olds: Mapping[str, Any], inputs: Mapping[str, Any], outs: dict[str, Any]
    ) -> None:
        if inputs.get("mark_ready_for_cutover") and not olds.get("marked_ready_for_cutover"):
            ids = tuple(olds.get("source_server_ids") or ())
            user_errors(lambda: engine.mark_ready_for_cutover(id_, ids))
            outs["marked_ready_for_cutover"] = True
