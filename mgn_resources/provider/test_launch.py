"""TestLaunchProvider: its import path is stored in every stack that uses it; never move or rename it."""

from __future__ import annotations

from typing import ClassVar

from ..aws import LaunchKind
from ..engine import LaunchEngine
from ..schema import TEST_LAUNCH, ResourceSchema
from .launch_provider import FollowUp, LaunchProvider


class TestLaunchProvider(LaunchProvider):
    """Starts or adopts an MGN test launch (StartTest), waits for it, marks the servers ready for cutover."""

    __test__ = False  # not a pytest test class, whatever its name
    kind: ClassVar[LaunchKind] = LaunchKind.TEST
    schema: ClassVar[ResourceSchema] = TEST_LAUNCH
    follow_up: ClassVar[FollowUp] = FollowUp(
        "mark_ready_for_cutover", "marked_ready_for_cutover", LaunchEngine.mark_ready_for_cutover
    )
