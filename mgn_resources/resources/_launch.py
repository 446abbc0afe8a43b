"""What `Cutover` and `TestLaunch` share: a dynamic resource whose props are its schema's inputs and its outputs.

Their Args classes, keyword-argument TypedDicts and input outputs are generated from the input schema
(`_generated.py`); the job outputs, the same for both, are declared here.
"""

from typing import Any, ClassVar

import pulumi
import pulumi.dynamic

from ..quick_exit import exit_without_collecting
from ..schema import ResourceSchema
from ..schema.inputs import CUTOVER_NAME, TEST_LAUNCH_NAME
from ..schema.outputs import output_names
from ._args import build_props, check_opts, resolve_args

__all__ = ["COMMON_OUTPUTS", "LaunchResource"]

# Outputs both resources report (their names come from the outputs table, mgn_resources/schema/outputs.py); each
# resource adds its own (``finalized``, ``marked_ready_for_cutover``).
COMMON_OUTPUTS: tuple[str, ...] = tuple(
    name for name in output_names(CUTOVER_NAME) if name in output_names(TEST_LAUNCH_NAME)
)


class LaunchResource(pulumi.dynamic.Resource):
    """A dynamic resource that launches instances for MGN source servers, each server's launch tracked on its own.

    A subclass names its schema, its Args class and its provider; its output names come from the outputs table
    (``schema/outputs.py``), and the typed outputs that echo its inputs from its generated ``...InputOutputs`` base.
    """

    _schema: ClassVar[ResourceSchema]
    _args_type: ClassVar[type]
    _provider_type: ClassVar[type[pulumi.dynamic.ResourceProvider]]

    job_id: pulumi.Output[str]
    """The MGN job the create started (or adopted), ``mgnjob-...``; also the resource ID. Servers launched later
    (added, or launched again) name their own job in ``server_job_ids``."""
    job_arn: pulumi.Output[str]
    """The ARN of ``job_id``."""
    job_status: pulumi.Output[str]
    """The status of ``job_id`` when the create saw it last (COMPLETED after a successful create)."""
    launched_instance_ids: pulumi.Output[dict[str, str]]
    """Source server ID -> its launched EC2 instance ID, for each server launched now (never a dead instance)."""
    instance_ids: pulumi.Output[list[str]]
    """The live launched EC2 instance IDs, in the order of ``source_server_ids``."""
    servers: pulumi.Output[list[dict[str, Any]]]
    """Per server: source_server_id, state (LAUNCHED, SUPERSEDED, FAILED, PENDING, REVERTED, INSTANCE_GONE,
    MISSING, IN_PROGRESS), job_id, job_arn, launch_status, instance_id, post_launch_actions
    (action_name, document_name, status, must_succeed, failure_reason)."""
    server_job_ids: pulumi.Output[dict[str, str]]
    """Source server ID -> the job that launched it, for each server launched now."""
    pending_server_ids: pulumi.Output[list[str]]
    """The servers not launched now (reverted, instance gone, never launched): the next ``pulumi up`` launches
    them."""
    failed_server_ids: pulumi.Output[list[str]]
    """The servers whose last launch FAILED: the next ``pulumi up`` launches them again."""
    unlaunched_server_ids: pulumi.Output[list[str]]
    """The servers that ``application_ids`` or ``wave_id`` list now but did not at create (added since), as the last
    refresh found them: no refresh or ``pulumi up`` launches them; replace the resource, or declare a new one, to
    launch them. Empty for a resource that lists ``source_server_ids``."""
    creation_time: pulumi.Output[str]
    """When the job was created (ISO 8601)."""
    end_time: pulumi.Output[str | None]
    """When the job ended (ISO 8601)."""
    effective_region: pulumi.Output[str]
    """The region the provider used (the input, else ``aws:region``, else the environment)."""
    effective_endpoint_url: pulumi.Output[str]
    """The MGN endpoint the provider used: the ``endpoint_url`` input, else ``AWS_ENDPOINT_URL_MGN``, else
    ``AWS_ENDPOINT_URL``, else the AWS profile's endpoint; empty for AWS's own."""
    effective_role_arn: pulumi.Output[str]
    """The role the provider assumed (the ``role_arn`` input); empty for the deploying identity itself."""
    effective_account_id: pulumi.Output[str]
    """The account that owns the job: the ``account_id`` input, else the deploying identity's account (read from
    the job's ARN). Never empty. (``LaunchSettings.effective_account_id`` is the input alone.)"""

    def __init__(
        self,
        resource_name: str,
        args: Any = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        """
        :param resource_name: The name of the resource.
        :param args: The arguments; or pass them as keyword arguments instead.
        :param opts: Options for the resource.
        """
        inputs = resolve_args(self._args_type, resource_name, args, kwargs)
        props = build_props(inputs, self._schema, output_names(self._schema.name))
        super().__init__(self._provider_type(), resource_name, props, check_opts(opts))
        exit_without_collecting()
