"""What `Cutover` and `TestLaunch` share: the launch inputs of their Args classes and the job outputs.

`LaunchArgs` is a plain base class, not itself a ``@pulumi.input_type``: the decorator refuses a class whose base
already carries it. Pulumi reads the properties of an input type along its whole MRO, so ``@pulumi.input_type``
subclasses (`CutoverArgs`, `TestLaunchArgs`) serialize these inherited properties like their own.
"""

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Required, TypedDict

import pulumi
import pulumi.dynamic

from ._props import COMMON_OUTPUTS, build_props, check_opts, input_names, resolve_args

__all__ = ["LaunchArgs", "LaunchInputs", "LaunchResource", "set_given"]


class LaunchInputs(TypedDict, total=False):
    """The keyword arguments that `CutoverArgs`, `TestLaunchArgs`, `Cutover` and `TestLaunch` all take.

    Each is documented on its `LaunchArgs` property.
    """

    source_server_ids: Required[pulumi.Input[Sequence[pulumi.Input[str]]]]
    tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None
    account_id: pulumi.Input[str] | None
    region: pulumi.Input[str] | None
    endpoint_url: pulumi.Input[str] | None
    role_arn: pulumi.Input[str] | None
    timeout_seconds: pulumi.Input[float] | None
    poll_interval_seconds: pulumi.Input[float] | None
    wait_for_post_launch_actions: pulumi.Input[bool] | None
    on_delete: pulumi.Input[str] | None


def set_given(args: object, **values: Any) -> None:
    """`pulumi.set` each value that is not None, so an unset input stays unset."""
    for name, value in values.items():
        if value is not None:
            pulumi.set(args, name, value)


class LaunchArgs:
    """The arguments a launch (test or cutover) takes whatever its kind; ``on_delete`` is documented per kind."""

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
        on_delete: pulumi.Input[str] | None = None,
    ) -> None:
        pulumi.set(__self__, "source_server_ids", source_server_ids)
        set_given(
            __self__,
            tags=tags,
            account_id=account_id,
            region=region,
            endpoint_url=endpoint_url,
            role_arn=role_arn,
            timeout_seconds=timeout_seconds,
            poll_interval_seconds=poll_interval_seconds,
            wait_for_post_launch_actions=wait_for_post_launch_actions,
            on_delete=on_delete,
        )

    @property
    @pulumi.getter
    def source_server_ids(self) -> pulumi.Input[Sequence[pulumi.Input[str]]]:
        """
        The MGN source servers to launch (``s-`` followed by 17 characters), 1 to 200.
        """
        return pulumi.get(self, "source_server_ids")

    @source_server_ids.setter
    def source_server_ids(self, value: pulumi.Input[Sequence[pulumi.Input[str]]]) -> None:
        pulumi.set(self, "source_server_ids", value)

    @property
    @pulumi.getter
    def tags(self) -> pulumi.Input[Mapping[str, pulumi.Input[str]]] | None:
        """
        Tags for the MGN job (at most 50).
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


class LaunchResource(pulumi.dynamic.Resource):
    """A dynamic resource that launches instances for MGN source servers through one MGN job.

    A subclass names its Args class, its provider and its own outputs, and declares its kind-specific
    ``pulumi.Output`` attributes; the inputs are the properties of its Args class.
    """

    _args_type: ClassVar[type[LaunchArgs]]
    _provider_type: ClassVar[type[pulumi.dynamic.ResourceProvider]]
    _own_outputs: ClassVar[tuple[str, ...]]

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
    on_delete: pulumi.Output[str]

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
    effective_role_arn: pulumi.Output[str]
    """The role the provider assumed (the ``role_arn`` input); empty for the deploying identity itself."""
    effective_account_id: pulumi.Output[str]
    """The account that owns the job: the ``account_id`` input, else the deploying identity's account."""

    def __init__(
        self,
        resource_name: str,
        args: LaunchArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        """
        :param resource_name: The name of the resource.
        :param args: The arguments; or pass them as keyword arguments instead.
        :param opts: Options for the resource.
        """
        inputs = resolve_args(self._args_type, resource_name, args, kwargs)
        names = input_names(self._args_type)
        props = build_props(inputs, names, ("source_server_ids",), (*COMMON_OUTPUTS, *self._own_outputs))
        super().__init__(self._provider_type(), resource_name, props, check_opts(opts))
