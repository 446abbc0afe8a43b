"""`LaunchSettings`: one source server's target, as MGN's launch configuration and its EC2 launch template."""

from typing import Any, ClassVar, Unpack, overload

import pulumi
import pulumi.dynamic

from mgn_resources.provider.launch_settings import LaunchSettingsProvider

from ..quick_exit import exit_without_collecting
from ..schema import LAUNCH_SETTINGS, ResourceSchema
from ..schema.outputs import output_names
from ._args import build_props, check_opts, resolve_args
from ._generated import LaunchSettingsArgs, LaunchSettingsInputOutputs, LaunchSettingsInputs

__all__ = ["LaunchSettings", "LaunchSettingsArgs"]

OUTPUTS = output_names(LAUNCH_SETTINGS.name)  # from the outputs table (mgn_resources/schema/outputs.py)


class LaunchSettings(pulumi.dynamic.Resource, LaunchSettingsInputOutputs, module="mgn", name="LaunchSettings"):
    """
    One source server's launch settings: UpdateLaunchConfiguration for the MGN settings and, for the EC2 settings,
    a new version of the server's launch template (based on its default), made the default. The resource ID is
    the source server ID. Make launches depend on it (``depends_on``) so they use these settings.
    """

    _schema: ClassVar[ResourceSchema] = LAUNCH_SETTINGS

    launch_template_id: pulumi.Output[str]
    """The server's EC2 launch template (``ec2LaunchTemplateID``)."""
    launch_template_version: pulumi.Output[int]
    """The version these settings made the default."""
    previous_default_version: pulumi.Output[int]
    """The default version before this resource first applied its settings (what ``on_delete=restore`` restores)."""
    default_version: pulumi.Output[int]
    """The template's default version as last seen; differs from ``launch_template_version`` when changed
    elsewhere (found by ``pulumi refresh``; the next ``pulumi up`` applies these settings again)."""
    effective_region: pulumi.Output[str]
    """The region the provider used."""
    effective_endpoint_url: pulumi.Output[str]
    """The endpoint the provider used (for MGN and EC2): the ``endpoint_url`` input, else ``AWS_ENDPOINT_URL_MGN``,
    else ``AWS_ENDPOINT_URL``, else the AWS profile's endpoint; empty for AWS's own."""
    effective_role_arn: pulumi.Output[str]
    """The role the provider assumed; empty for the deploying identity itself."""
    effective_account_id: pulumi.Output[str]
    """The ``account_id`` input as given; empty when it is unset (the deploying identity's own account, which
    LaunchSettings does not look up). Unlike ``Cutover.effective_account_id`` and ``TestLaunch``'s, which name
    the deploying identity's account then."""

    @overload
    def __init__(
        self, resource_name: str, args: LaunchSettingsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None: ...

    @overload
    def __init__(
        self, resource_name: str, args: None = None, opts: pulumi.ResourceOptions | None = None,
        **inputs: Unpack[LaunchSettingsInputs],
    ) -> None: ...

    def __init__(
        self, resource_name: str, args: Any = None, opts: pulumi.ResourceOptions | None = None, **kwargs: Any
    ) -> None:
        inputs = resolve_args(LaunchSettingsArgs, resource_name, args, kwargs)
        props = build_props(inputs, self._schema, OUTPUTS)
        super().__init__(LaunchSettingsProvider(), resource_name, props, check_opts(opts))
        exit_without_collecting()
