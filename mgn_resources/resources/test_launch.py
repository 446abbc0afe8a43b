"""`TestLaunch`: launches test instances for MGN source servers and waits for the job to finish."""

from typing import Any, Unpack, overload

import pulumi

from mgn_resources.provider.test_launch import TestLaunchProvider

from ..schema import TEST_LAUNCH
from ._generated import TestLaunchArgs, TestLaunchInputOutputs, TestLaunchInputs
from ._launch import LaunchResource

__all__ = ["TestLaunchArgs", "TestLaunch"]


class TestLaunch(LaunchResource, TestLaunchInputOutputs, module="mgn", name="TestLaunch"):
    """
    An MGN test launch: starts a test job for the source servers, waits for it (and, by default, for the
    post-launch actions), and reports the job and the launched test instances. The resource ID is the job ID.
    """

    __test__ = False  # not a pytest test class

    _schema = TEST_LAUNCH
    _args_type = TestLaunchArgs
    _provider_type = TestLaunchProvider

    marked_ready_for_cutover: pulumi.Output[bool]
    """Whether the servers were moved to READY_FOR_CUTOVER after the test."""

    @overload
    def __init__(
        self, resource_name: str, args: TestLaunchArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None: ...

    @overload
    def __init__(
        self, resource_name: str, args: None = None, opts: pulumi.ResourceOptions | None = None,
        **inputs: Unpack[TestLaunchInputs],
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(resource_name, *args, **kwargs)
