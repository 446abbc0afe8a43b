"""`Cutover`: launches cutover instances for MGN source servers and waits for the job to finish."""

from collections.abc import Mapping, Sequence
from typing import Any, overload

import pulumi
import pulumi.dynamic

from mgn_resources.provider.cutover import CutoverProvider

from ._props import COMMON_OUTPUTS, build_props, check_opts, resolve_args

__all__ = ["CutoverArgs", "Cutover"]

_INPUTS: tuple[str, ...] = (
    "source_server_ids",
    "tags",
    "account_id",
    "region",
    "endpoint_url",
    "role_arn",
    "timeout_seconds",
    "poll_interval_seconds",
    "wait_for_post_launch_actions",
    "finalize",
    "on_delete",
    "require_successful_test",
)
_REQUIRED: tuple[str, ...] = ("source_server_ids",)
_OUTPUTS: tuple[str, ...] = (*COMMON_OUTPUTS, "finalized")


@pulumi.input_type
class CutoverArgs:
    def __init__(
        __self__,
        *,
        source_server_ids: pulumi.Input[Sequence[pulumi.Input[str]]],
        tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        account_id: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        endpoint_url: pulumi.Input[str] | None = None,
        role_arn: pulumi.Input[str] | None = None,
        timeout_seconds: pulumi.Input[float] | None = None,
        poll_interval_seconds: pulumi.Input[float] | None = None,
        wait_for_post_launch_actions: pulumi.Input[bool] | None = None,
        finalize: pulumi.Input[bool] | None = None,
        on_delete: pulumi.Input[str] | None = None,
        require_successful_test: pulumi.Input[bool] | None = None,
    ) -> None:
        """
        The set of arguments for constructing a Cutover resource.

        :param source_server_ids: The MGN source servers to cut over (``s-`` followed by 17 characters), 1 to 200.
        :param tags: Tags for the cutover job (at most 50).
        :param account_id: The AWS account that owns the source servers, for MGN multi-account management.
        :param region: The AWS region of the source servers. Defaults to the stack's ``aws:region``.
        :param endpoint_url: An MGN endpoint to use instead of AWS's (for example a local emulator).
        :param role_arn: An IAM role to assume for every MGN call.
        :param timeout_seconds: How long to wait for the job, in seconds. Defaults to 3600.
        :param poll_interval_seconds: How often to poll the job, in seconds. Defaults to 15.
        :param wait_for_post_launch_actions: Wait until post-launch actions finish. Defaults to true.
        :param finalize: Finalize the cutover (servers go to CUTOVER, replication stops). Defaults to false.
        :param on_delete: What destroying the resource does: ``retain``, ``revert`` or ``terminate``.
               Defaults to ``retain``.
        :param require_successful_test: Refuse to cut over servers without a successful test launch.
               Defaults to false.
        """
        pulumi.set(__self__, "source_server_ids", source_server_ids)
        for name, value in (
            ("tags", tags),
            ("account_id", account_id),
            ("region", region),
            ("endpoint_url", endpoint_url),
            ("role_arn", role_arn),
            ("timeout_seconds", timeout_seconds),
            ("poll_interval_seconds", poll_interval_seconds),
            ("wait_for_post_launch_actions", wait_for_post_launch_actions),
            ("finalize", finalize),
            ("on_delete", on_delete),
            ("require_successful_test", require_successful_test),
        ):
            if value is not None:
                pulumi.set(__self__, name, value)

    @property
    @pulumi.getter
    def source_server_ids(self) -> pulumi.Input[Sequence[pulumi.Input[str]]]:
        """
        The MGN source servers to cut over (``s-`` followed by 17 characters), 1 to 200.
        """
        return pulumi.get(self, "source_server_ids")

    @source_server_ids.setter
    def source_server_ids(self, value: pulumi.Input[Sequence[pulumi.Input[str]]]) -> None:
        pulumi.set(self, "source_server_ids", value)

    @property
    @pulumi.getter
    def tags(self) -> pulumi.Input[Mapping[str, pulumi.Input[str]]] | None:
        """
        Tags for the cutover job (at most 50).
        """
        return pulumi.get(self, "tags")

    @tags.setter
    def tags(self, value: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None) -> None:
        pulumi.set(self, "tags", value)

    @property
    @pulumi.getter
    def account_id(self) -> pulumi.Input[str] | None:
        """
        The AWS account that owns the source servers, for MGN multi-account management.
        """
        return pulumi.get(self, "account_id")

    @account_id.setter
    def account_id(self, value: pulumi.Input[str] | None) -> None:
        pulumi.set(self, "account_id", value)

    @property
    @pulumi.getter
    def region(self) -> pulumi.Input[str] | None:
        """
        The AWS region of the source servers. Defaults to the stack's ``aws:region``.
        """
        return pulumi.get(self, "region")

    @region.setter
    def region(self, value: pulumi.Input[str] | None) -> None:
        pulumi.set(self, "region", value)

    @property
    @pulumi.getter
    def endpoint_url(self) -> pulumi.Input[str] | None:
        """
        An MGN endpoint to use instead of AWS's (for example a local emulator).
        """
        return pulumi.get(self, "endpoint_url")

    @endpoint_url.setter
    def endpoint_url(self, value: pulumi.Input[str] | None) -> None:
        pulumi.set(self, "endpoint_url", value)

    @property
    @pulumi.getter
    def role_arn(self) -> pulumi.Input[str] | None:
        """
        An IAM role to assume for every MGN call.
        """
        return pulumi.get(self, "role_arn")

    @role_arn.setter
    def role_arn(self, value: pulumi.Input[str] | None) -> None:
        pulumi.set(self, "role_arn", value)

    @property
    @pulumi.getter
    def timeout_seconds(self) -> pulumi.Input[float] | None:
        """
        How long to wait for the job, in seconds. Defaults to 3600.
        """
        return pulumi.get(self, "timeout_seconds")

    @timeout_seconds.setter
    def timeout_seconds(self, value: pulumi.Input[float] | None) -> None:
        pulumi.set(self, "timeout_seconds", value)

    @property
    @pulumi.getter
    def poll_interval_seconds(self) -> pulumi.Input[float] | None:
        """
        How often to poll the job, in seconds. Defaults to 15.
        """
        return pulumi.get(self, "poll_interval_seconds")

    @poll_interval_seconds.setter
    def poll_interval_seconds(self, value: pulumi.Input[float] | None) -> None:
        pulumi.set(self, "poll_interval_seconds", value)

    @property
    @pulumi.getter
    def wait_for_post_launch_actions(self) -> pulumi.Input[bool] | None:
        """
        Wait until post-launch actions finish. Defaults to true.
        """
        return pulumi.get(self, "wait_for_post_launch_actions")

    @wait_for_post_launch_actions.setter
    def wait_for_post_launch_actions(self, value: pulumi.Input[bool] | None) -> None:
        pulumi.set(self, "wait_for_post_launch_actions", value)

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


class Cutover(pulumi.dynamic.Resource, module="mgn", name="Cutover"):
    """
    An MGN cutover: starts a cutover job for the source servers, waits for it (and, by default, for the
    post-launch actions), and reports the job and the launched EC2 instances. The resource ID is the job ID.
    """

    # Inputs, echoed as outputs with the provider's defaults applied.
    source_server_ids: pulumi.Output[list[str]]
    tags: pulumi.Output[dict[str, str] | None]
    account_id: pulumi.Output[str | None]
    region: pulumi.Output[str | None]
    endpoint_url: pulumi.Output[str | None]
    role_arn: pulumi.Output[str | None]
    timeout_seconds: pulumi.Output[float]
    poll_interval_seconds: pulumi.Output[float]
    wait_for_post_launch_actions: pulumi.Output[bool]
    finalize: pulumi.Output[bool]
    on_delete: pulumi.Output[str]
    require_successful_test: pulumi.Output[bool]

    job_id: pulumi.Output[str]
    """The MGN job ID (``mgnjob-...``), also the resource ID."""
    job_arn: pulumi.Output[str]
    """The job's ARN."""
    job_status: pulumi.Output[str]
    """The job's status when the resource last saw it (COMPLETED after a successful create)."""
    launched_instance_ids: pulumi.Output[dict[str, str]]
    """Source server ID -> launched EC2 instance ID."""
    instance_ids: pulumi.Output[list[str]]
    """The launched EC2 instance IDs, in the order of ``source_server_ids``."""
    servers: pulumi.Output[list[dict[str, Any]]]
    """Per server: source_server_id, launch_status, instance_id, post_launch_actions
    (action_name, document_name, status, must_succeed, failure_reason)."""
    creation_time: pulumi.Output[str]
    """When the job was created (ISO 8601)."""
    end_time: pulumi.Output[str | None]
    """When the job ended (ISO 8601)."""
    effective_region: pulumi.Output[str]
    """The region the provider used (the input, else ``aws:region``, else the environment)."""
    effective_endpoint_url: pulumi.Output[str]
    """The MGN endpoint the provider used (the input, else ``AWS_ENDPOINT_URL_MGN``); empty for AWS's own."""
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
        source_server_ids: pulumi.Input[Sequence[pulumi.Input[str]]],
        tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        account_id: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        endpoint_url: pulumi.Input[str] | None = None,
        role_arn: pulumi.Input[str] | None = None,
        timeout_seconds: pulumi.Input[float] | None = None,
        poll_interval_seconds: pulumi.Input[float] | None = None,
        wait_for_post_launch_actions: pulumi.Input[bool] | None = None,
        finalize: pulumi.Input[bool] | None = None,
        on_delete: pulumi.Input[str] | None = None,
        require_successful_test: pulumi.Input[bool] | None = None,
    ) -> None: ...

    def __init__(
        self,
        resource_name: str,
        args: CutoverArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        """
        :param resource_name: The name of the resource.
        :param args: The arguments; or pass them as keyword arguments instead.
        :param opts: Options for the resource.
        """
        inputs = resolve_args(CutoverArgs, resource_name, args, kwargs)
        props = build_props(inputs, _INPUTS, _REQUIRED, _OUTPUTS)
        super().__init__(CutoverProvider(), resource_name, props, check_opts(opts))
