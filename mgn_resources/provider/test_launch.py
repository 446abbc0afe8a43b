"""TestLaunchProvider: its import path is stored in every stack that uses it; never move or rename it."""

from __future__ import annotations

from typing import ClassVar

from ..aws import LaunchKind
from ..schema import TEST_LAUNCH, ResourceSchema
from .launch_provider import LaunchProvider


class TestLaunchProvider(LaunchProvider):
    """Starts or adopts an MGN test launch (StartTest) per server, waits for it, marks the servers ready for cutover."""

    __test__ = False  # not a pytest test class, whatever its name
    kind: ClassVar[LaunchKind] = LaunchKind.TEST
    schema: ClassVar[ResourceSchema] = TEST_LAUNCH
