"""THE OUTPUTS TABLE: every output of `Cutover`, `TestLaunch` and `LaunchSettings` beyond their inputs, one row each.

The resources' output names come from here (``mgn_resources/resources/_launch.py`` and ``settings.py`` seed their
props with them), and so do the ``properties`` of the Pulumi package schema (``package.py``). The typed attributes
and their docstrings stay on the resource classes, for Python's type checkers: a test keeps their names, types and
text equal to these rows. An output that differs between resources (``effective_region``...) has one row per group.
Docs are Markdown (`code`), one paragraph each.
"""

from __future__ import annotations

from dataclasses import dataclass

from .inputs import BOTH, CUTOVER_NAME, SETTINGS, TEST_LAUNCH_NAME
from .types import BOOLEAN, STRING, STRING_LIST, STRING_MAP, InputType

# Outputs only: a launch template version. (An InputType, so every scalar type shares one vocabulary.)
INTEGER = InputType("int", "pulumi.Input[int]", "int")


@dataclass(frozen=True, kw_only=True)
class Field:
    """One field of an object type: every field is always set (``required`` in the package schema)."""

    name: str
    type: FieldType
    doc: str


@dataclass(frozen=True, kw_only=True)
class ObjectType:
    """A named object type: ``mgn:index:<name>`` in the package schema's ``types``."""

    name: str
    doc: str
    fields: tuple[Field, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


@dataclass(frozen=True)
class ListOf:
    """A list of objects of one type (Python: a list of dicts)."""

    item: ObjectType

    @property
    def output_hint(self) -> str:
        return "list[dict[str, Any]]"


FieldType = InputType | ListOf


@dataclass(frozen=True, kw_only=True)
class Output:
    """One output of one or more resources that report it alike (a resource that differs has a row of its own)."""

    name: str
    type: FieldType
    resources: tuple[str, ...]
    doc: str  # Markdown, as the typed attribute's docstring says it
    always: bool = True  # a create always sets it: ``required`` in the package schema, typed without ``| None``


POST_LAUNCH_ACTION = ObjectType(
    name="PostLaunchAction",
    doc="One post-launch action (SSM document) MGN ran on a launched instance.",
    fields=(
        Field(name="action_name", type=STRING, doc="The action's name."),
        Field(name="document_name", type=STRING, doc="The SSM document it runs."),
        Field(name="status", type=STRING, doc="MGN's `PostLaunchActionExecutionStatus` of the action."),
        Field(name="must_succeed", type=BOOLEAN, doc="Whether the launch fails when the action fails."),
        Field(name="failure_reason", type=STRING, doc="Why the action failed; empty otherwise."),
    ),
)

# The states of ServerState (mgn_resources/engine/types.py): this layer imports no engine; a test keeps them equal.
SERVER_STATES = ("LAUNCHED", "SUPERSEDED", "FAILED", "PENDING", "REVERTED", "INSTANCE_GONE", "MISSING", "IN_PROGRESS")

SERVER_LAUNCH = ObjectType(
    name="ServerLaunch",
    doc="One source server's launch by the resource: the job that launched it (or last tried to) and its instance.",
    fields=(
        Field(name="source_server_id", type=STRING, doc="The MGN source server."),
        Field(
            name="state", type=STRING,
            doc="Where its launch stands: " + ", ".join(f"`{s}`" for s in SERVER_STATES[:-1])
            + f" or `{SERVER_STATES[-1]}`.",
        ),
        Field(name="job_id", type=STRING, doc="The MGN job that launched it, or last tried to."),
        Field(name="job_arn", type=STRING, doc="The ARN of that job."),
        Field(name="launch_status", type=STRING, doc="MGN's `launchStatus` of the server in that job."),
        Field(name="instance_id", type=STRING, doc="Its launched EC2 instance while alive; empty otherwise."),
        Field(
            name="post_launch_actions", type=ListOf(POST_LAUNCH_ACTION),
            doc="The post-launch actions MGN ran on the instance.",
        ),
    ),
)

OBJECT_TYPES: tuple[ObjectType, ...] = (SERVER_LAUNCH, POST_LAUNCH_ACTION)

EFFECTIVE_ENDPOINT_DOC = (
    "the `endpoint_url` input, else `AWS_ENDPOINT_URL_MGN`, else `AWS_ENDPOINT_URL`, else the AWS profile's "
    "endpoint; empty for AWS's own."
)

OUTPUTS: tuple[Output, ...] = (
    # ---- Cutover and TestLaunch: the job and each server's launch ----
    Output(
        name="job_id", type=STRING, resources=BOTH,
        doc="The MGN job the create started (or adopted), `mgnjob-...`; also the resource ID. Servers launched later "
        "(added, or launched again) name their own job in `server_job_ids`.",
    ),
    Output(name="job_arn", type=STRING, resources=BOTH, doc="The ARN of `job_id`."),
    Output(
        name="job_status", type=STRING, resources=BOTH,
        doc="The status of `job_id` when the create saw it last (COMPLETED after a successful create).",
    ),
    Output(
        name="launched_instance_ids", type=STRING_MAP, resources=BOTH,
        doc="Source server ID -> its launched EC2 instance ID, for each server launched now (never a dead instance).",
    ),
    Output(
        name="instance_ids", type=STRING_LIST, resources=BOTH,
        doc="The live launched EC2 instance IDs, in the order of `source_server_ids`.",
    ),
    Output(
        name="servers", type=ListOf(SERVER_LAUNCH), resources=BOTH,
        doc="Per server: source_server_id, state (LAUNCHED, SUPERSEDED, FAILED, PENDING, REVERTED, INSTANCE_GONE, "
        "MISSING, IN_PROGRESS), job_id, job_arn, launch_status, instance_id, post_launch_actions (action_name, "
        "document_name, status, must_succeed, failure_reason).",
    ),
    Output(
        name="server_job_ids", type=STRING_MAP, resources=BOTH,
        doc="Source server ID -> the job that launched it, for each server launched now.",
    ),
    Output(
        name="pending_server_ids", type=STRING_LIST, resources=BOTH,
        doc="The servers not launched now (reverted, instance gone, never launched): the next `pulumi up` launches "
        "them.",
    ),
    Output(
        name="failed_server_ids", type=STRING_LIST, resources=BOTH,
        doc="The servers whose last launch FAILED: the next `pulumi up` launches them again.",
    ),
    Output(
        name="unlaunched_server_ids", type=STRING_LIST, resources=BOTH,
        doc="The servers that `application_ids` or `wave_id` list now but did not at create (added since), as the last "
        "refresh found them: no refresh or `pulumi up` launches them; replace the resource, or declare a new one, to "
        "launch them. Empty for a resource that lists `source_server_ids`.",
    ),
    Output(name="creation_time", type=STRING, resources=BOTH, doc="When the job was created (ISO 8601)."),
    # Typed `str | None` in Python: the SDKs' types say it may be unset too.
    Output(name="end_time", type=STRING, resources=BOTH, doc="When the job ended (ISO 8601).", always=False),
    Output(
        name="effective_region", type=STRING, resources=BOTH,
        doc="The region the provider used (the input, else `aws:region`, else the environment).",
    ),
    Output(
        name="effective_endpoint_url", type=STRING, resources=BOTH,
        doc=f"The MGN endpoint the provider used: {EFFECTIVE_ENDPOINT_DOC}",
    ),
    Output(
        name="effective_role_arn", type=STRING, resources=BOTH,
        doc="The role the provider assumed (the `role_arn` input); empty for the deploying identity itself.",
    ),
    Output(
        name="effective_account_id", type=STRING, resources=BOTH,
        doc="The account that owns the job: the `account_id` input, else the deploying identity's account (read from "
        "the job's ARN). Never empty. (`LaunchSettings.effective_account_id` is the input alone.)",
    ),
    Output(name="finalized", type=BOOLEAN, resources=(CUTOVER_NAME,), doc="Whether the cutover was finalized."),
    Output(
        name="marked_ready_for_cutover", type=BOOLEAN, resources=(TEST_LAUNCH_NAME,),
        doc="Whether the servers were moved to READY_FOR_CUTOVER after the test.",
    ),
    # ---- LaunchSettings: the launch template version it made the default ----
    Output(
        name="launch_template_id", type=STRING, resources=SETTINGS,
        doc="The server's EC2 launch template (`ec2LaunchTemplateID`).",
    ),
    Output(
        name="launch_template_version", type=INTEGER, resources=SETTINGS,
        doc="The version these settings made the default.",
    ),
    Output(
        name="previous_default_version", type=INTEGER, resources=SETTINGS,
        doc="The default version before this resource first applied its settings (what `on_delete=restore` "
        "restores).",
    ),
    Output(
        name="default_version", type=INTEGER, resources=SETTINGS,
        doc="The template's default version as last seen; differs from `launch_template_version` when changed "
        "elsewhere (found by `pulumi refresh`; the next `pulumi up` applies these settings again).",
    ),
    Output(name="effective_region", type=STRING, resources=SETTINGS, doc="The region the provider used."),
    Output(
        name="effective_endpoint_url", type=STRING, resources=SETTINGS,
        doc=f"The endpoint the provider used (for MGN and EC2): {EFFECTIVE_ENDPOINT_DOC}",
    ),
    Output(
        name="effective_role_arn", type=STRING, resources=SETTINGS,
        doc="The role the provider assumed; empty for the deploying identity itself.",
    ),
    Output(
        name="effective_account_id", type=STRING, resources=SETTINGS,
        doc="The `account_id` input as given; empty when it is unset (the deploying identity's own account, which "
        "LaunchSettings does not look up). Unlike `Cutover.effective_account_id` and `TestLaunch`'s, which name "
        "the deploying identity's account then.",
    ),
)


def outputs_of(resource: str) -> tuple[Output, ...]:
    """The output rows of ``resource`` ("Cutover", "TestLaunch", "LaunchSettings"), in table order."""
    rows = tuple(row for row in OUTPUTS if resource in row.resources)
    names = [row.name for row in rows]
    if len(set(names)) != len(names):
        raise ValueError(f"{resource} reports an output twice: {sorted({n for n in names if names.count(n) > 1})}")
    return rows


def output_names(resource: str) -> tuple[str, ...]:
    """The output names of ``resource`` beyond its inputs, in table order."""
    return tuple(row.name for row in outputs_of(resource))
