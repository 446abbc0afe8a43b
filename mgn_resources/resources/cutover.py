"""`Cutover`: launches cutover instances for MGN source servers and waits for the job to finish."""

from typing import Any, Unpack, overload

import pulumi

from mgn_resources.provider.cutover import CutoverProvider

from ._launch import LaunchArgs, LaunchInputs, LaunchResource, set_given

__all__ = ["CutoverArgs", "Cutover"]


@pulumi.input_type
class CutoverArgs(LaunchArgs):
    def __init__(
        __self__,
        *,
        finalize: pulumi.Input[bool] | None = None,
        require_successful_test: pulumi.Input[bool] | None = None,
        **inputs: Unpack[LaunchInputs],
    ) -> None:
        """
        The set of arguments for constructing a Cutover resource.

        :param source_server_ids: The MGN source servers to cut over (``s-`` followed by 17 characters), 1 to 200.
        :param tags: Tags for the cutover job (at most 50).
        :param finalize: Finalize the cutover (servers go to CUTOVER, replication stops). Defaults to false.
        :param on_delete: What destroying the resource does: ``retain``, ``revert`` or ``terminate``.
               Defaults to ``retain``.
        :param require_successful_test: Refuse to cut over servers without a successful test launch.
               Defaults to false.

        The other keyword arguments (``account_id``, ``region``, ``endpoint_url``, ``role_arn``, ``timeout_seconds``,
        ``poll_interval_seconds``, ``wait_for_post_launch_actions``) are documented on their `LaunchArgs` properties.
        """
        super().__init__(**inputs)
        set_given(__self__, finalize=finalize, require_successful_test=require_successful_test)

    @property
    @pulumi.getter
    def finalize(self) -> pulumi.Input[bool] | None:
        """
        Finalize the cutover once the job succeeds (servers go to CUTOVER, replication stops). Defaults to false.
        """
        return pulumi.get(self, "finalize")

    @finalize.setter
    def finalize(self, value: pulumi.Input[bool] | None) -> None:
        pulumi.set(self, "finalize", value)

    @property
    @pulumi.getter
    def on_delete(self) -> pulumi.Input[str] | None:
        """
        What destroying the resource does: ``retain`` (nothing), ``revert`` (servers back to READY_FOR_CUTOVER)
        or ``terminate`` (terminate the launched instances). Defaults to ``retain``.
        """
        return pulumi.get(self, "on_delete")

    @on_delete.setter
    def on_delete(self, value: pulumi.Input[str] | None) -> None:
        pulumi.set(self, "on_delete", value)

    @property
    @pulumi.getter
    def require_successful_test(self) -> pulumi.Input[bool] | None:
        """
        Refuse to cut over servers that have no successful test launch. Defaults to false.
        """
        return pulumi.get(self, "require_successful_test")

    @require_successful_test.setter
    def require_successful_test(self, value: pulumi.Input[bool] | None) -> None:
        pulumi.set(self, "require_successful_test", value)


class Cutover(LaunchResource, module="mgn", name="Cutover"):
    """
    An MGN cutover: starts a cutover job for the source servers, waits for it (and, by default, for the
    post-launch actions), and reports the job and the launched EC2 instances. The resource ID is the job ID.
    """

    _args_type = CutoverArgs
    _provider_type = CutoverProvider
    _own_outputs = ("finalized",)

    # Inputs of a cutover only, echoed as outputs with the provider's defaults applied.
    finalize: pulumi.Output[bool]
    require_successful_test: pulumi.Output[bool]

    finalized: pulumi.Output[bool]
    """Whether the cutover was finalized."""

    @overload
    def __init__(
        self, resource_name: str, args: CutoverArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        args: None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        finalize: pulumi.Input[bool] | None = None,
        require_successful_test: pulumi.Input[bool] | None = None,
        **inputs: Unpack[LaunchInputs],
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(resource_name, *args, **kwargs)
