"""`TestLaunch`: launches test instances for MGN source servers and waits for the job to finish."""

from typing import Any, Unpack, overload

import pulumi

from mgn_resources.provider.test_launch import TestLaunchProvider

from ._launch import LaunchArgs, LaunchInputs, LaunchResource, set_given

__all__ = ["TestLaunchArgs", "TestLaunch"]


@pulumi.input_type
class TestLaunchArgs(LaunchArgs):
    __test__ = False  # not a pytest test class

    def __init__(
        __self__, *, mark_ready_for_cutover: pulumi.Input[bool] | None = None, **inputs: Unpack[LaunchInputs]
    ) -> None:
        """
        The set of arguments for constructing a TestLaunch resource.

        :param source_server_ids: The MGN source servers to test (``s-`` followed by 17 characters), 1 to 200.
        :param tags: Tags for the test job (at most 50).
        :param mark_ready_for_cutover: Once the test succeeds, move the servers to READY_FOR_CUTOVER.
               Defaults to true.
        :param on_delete: What destroying the resource does: ``retain`` or ``terminate``. Defaults to ``retain``.

        The other keyword arguments (``account_id``, ``region``, ``endpoint_url``, ``role_arn``, ``timeout_seconds``,
        ``poll_interval_seconds``, ``wait_for_post_launch_actions``) are documented on their `LaunchArgs` properties.
        """
        super().__init__(**inputs)
        set_given(__self__, mark_ready_for_cutover=mark_ready_for_cutover)

    @property
    @pulumi.getter
    def mark_ready_for_cutover(self) -> pulumi.Input[bool] | None:
        """
        Once the test succeeds, move the servers to READY_FOR_CUTOVER. Defaults to true.
        """
        return pulumi.get(self, "mark_ready_for_cutover")

    @mark_ready_for_cutover.setter
    def mark_ready_for_cutover(self, value: pulumi.Input[bool] | None) -> None:
        pulumi.set(self, "mark_ready_for_cutover", value)

    @property
    @pulumi.getter
    def on_delete(self) -> pulumi.Input[str] | None:
        """
        What destroying the resource does: ``retain`` (nothing) or ``terminate`` (terminate the test instances
        and return the servers to READY_FOR_TEST). Defaults to ``retain``.
        """
        return pulumi.get(self, "on_delete")

    @on_delete.setter
    def on_delete(self, value: pulumi.Input[str] | None) -> None:
        pulumi.set(self, "on_delete", value)


class TestLaunch(LaunchResource, module="mgn", name="TestLaunch"):
    """
    An MGN test launch: starts a test job for the source servers, waits for it (and, by default, for the
    post-launch actions), and reports the job and the launched test instances. The resource ID is the job ID.
    """

    __test__ = False  # not a pytest test class

    _args_type = TestLaunchArgs
    _provider_type = TestLaunchProvider
    _own_outputs = ("marked_ready_for_cutover",)

    # The input of a test launch only, echoed as an output with the provider's default applied.
    mark_ready_for_cutover: pulumi.Output[bool]

    marked_ready_for_cutover: pulumi.Output[bool]
    """Whether the servers were moved to READY_FOR_CUTOVER after the test."""

    @overload
    def __init__(
        self, resource_name: str, args: TestLaunchArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        args: None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        mark_ready_for_cutover: pulumi.Input[bool] | None = None,
        **inputs: Unpack[LaunchInputs],
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(resource_name, *args, **kwargs)
