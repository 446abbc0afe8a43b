"""THE TABLE: every input of `Cutover`, `TestLaunch` and `LaunchSettings`, one row each.

A new input is one row here plus its behaviour; then run ``python -m mgn_resources.schema.generate`` to regenerate
the Args classes (``mgn_resources/resources/_generated.py``) and the README's input table. check, the defaults,
diff's replace and update sets and the engine's LaunchSpec read the rows directly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..aws.shapes import LaunchKind
from ..engine.teardown import OnDelete
from ..engine.types import LaunchSpec
from .model import REQUIRED, Change, Input, ResourceSchema, Variant
from .rules import AccountId, Boolean, EndpointUrl, Matching, OneOf, Seconds, ServerIds, Tags
from .target_rules import (
    INSTANCE_PROFILE,
    SECURITY_GROUP_ID,
    SUBNET_ID,
    Ids,
    InstanceTags,
    Ipv4,
    ModelEnum,
    SourceServerId,
)
from .types import BOOLEAN, NUMBER, STRING, STRING_LIST, STRING_MAP

CUTOVER_NAME = "Cutover"
TEST_LAUNCH_NAME = "TestLaunch"
LAUNCH_SETTINGS_NAME = "LaunchSettings"
BOTH = (CUTOVER_NAME, TEST_LAUNCH_NAME)
CONNECTED = (*BOTH, LAUNCH_SETTINGS_NAME)  # the connection inputs: every resource takes them alike
SETTINGS = (LAUNCH_SETTINGS_NAME,)

REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-[0-9]+")
ROLE_ARN = re.compile(r"arn:[a-z0-9-]+:iam::[0-9]{12}:role/[\w+=,.@/-]{1,512}")
MAX_TIMEOUT_SECONDS = 86400.0
MIN_POLL_INTERVAL_SECONDS = 0.05
MAX_POLL_INTERVAL_SECONDS = 600.0

ON_DELETE_CUTOVER = OneOf((OnDelete.RETAIN.value, OnDelete.REVERT.value, OnDelete.TERMINATE.value))
ON_DELETE_TEST = OneOf((OnDelete.RETAIN.value, OnDelete.TERMINATE.value))
RESTORE = "restore"  # LaunchSettings' on_delete: the previous default launch template version back
ON_DELETE_SETTINGS = OneOf((OnDelete.RETAIN.value, RESTORE))

INPUTS: tuple[Input, ...] = (
    Input(
        "source_server_ids", STRING_LIST, BOTH, Change.REPLACE, ServerIds(),
        "the MGN source servers to launch; their order sets the order of `instance_ids`",
        default=REQUIRED, engine=True, unordered=True,
    ),
    Input(
        "tags", STRING_MAP, BOTH, Change.UPDATE, Tags(),
        "tags of the MGN job",
        default={}, engine=True,
    ),
    Input(
        "account_id", STRING, CONNECTED, Change.REPLACE, AccountId(),
        "MGN multi-account management: the account that owns the source servers",
    ),
    Input(
        "region", STRING, CONNECTED, Change.REPLACE,
        Matching(REGION, "an AWS region such as us-east-1"),
        "the AWS region of the source servers; it must be one where botocore's data lists MGN (checked wherever "
        "the region comes from), any other only with an `endpoint_url`",
        unset="`aws:region`",
    ),
    Input(
        "endpoint_url", STRING, CONNECTED, Change.REPLACE, EndpointUrl(),
        "an MGN endpoint to use instead of AWS's: an emulator or a VPC endpoint (`LaunchSettings` and the "
        "healthy-instance wait send their EC2 calls there too)",
        unset="`AWS_ENDPOINT_URL_MGN`, `AWS_ENDPOINT_URL` or the profile's endpoint",
    ),
    Input(
        "role_arn", STRING, CONNECTED, Change.REPLACE,
        Matching(ROLE_ARN, "an IAM role ARN such as arn:aws:iam::123456789012:role/mgn-cutover"),
        "an IAM role to assume for every MGN call; its partition must be one botocore knows (`aws`, `aws-cn`, "
        "`aws-us-gov`, `aws-iso`, ...) and the region's",
    ),
    Input(
        "timeout_seconds", NUMBER, BOTH, Change.UPDATE, Seconds(0.0, MAX_TIMEOUT_SECONDS),
        "how long create (and delete's terminate) waits for the job; the next `pulumi up` adopts a job still running",
        default=3600.0, engine=True,
    ),
    Input(
        "poll_interval_seconds", NUMBER, BOTH, Change.UPDATE,
        Seconds(MIN_POLL_INTERVAL_SECONDS, MAX_POLL_INTERVAL_SECONDS),
        "the ceiling of the interval between polls of the job (1 s at first, then 5% of the time since it started)",
        default=15.0, engine=True,
    ),
    Input(
        "wait_for_post_launch_actions", BOOLEAN, BOTH, Change.UPDATE, Boolean(),
        "wait until every post-launch action is done",
        default=True, engine=True,
    ),
    Input(
        "finalize", BOOLEAN, (CUTOVER_NAME,), Change.UPDATE, Boolean(),
        "FinalizeCutover once launched (servers go to CUTOVER, replication stops); not with `on_delete` `revert` "
        "or `terminate`, since MGN cannot undo a finalized cutover",
        default=False, engine=True,
    ),
    Input(
        "require_successful_test", BOOLEAN, (CUTOVER_NAME,), Change.UPDATE, Boolean(),
        "refuse servers whose last test launch did not succeed",
        default=False, engine=True,
    ),
    Input(
        "max_replication_lag_seconds", NUMBER, (CUTOVER_NAME,), Change.UPDATE, Seconds(0.0, MAX_TIMEOUT_SECONDS),
        "refuse servers whose replication lag (`dataReplicationInfo.lagDuration`) is over this; servers whose data "
        "replication is not CONTINUOUS are refused in any case",
        unset="no lag limit", engine=True,
    ),
    Input(
        "wait_for_healthy_instances", BOOLEAN, BOTH, Change.UPDATE, Boolean(),
        "after the job, wait (within `timeout_seconds`) until each launched instance is running with both EC2 "
        "status checks ok; instances launched STOPPED (launch disposition) are not waited on",
        default=True, engine=True,
    ),
    Input(
        "mark_ready_for_cutover", BOOLEAN, (TEST_LAUNCH_NAME,), Change.UPDATE, Boolean(),
        "once the test succeeded, mark the servers READY_FOR_CUTOVER",
        default=True, engine=True,
    ),
    Input(
        "on_delete", STRING, CONNECTED, Change.UPDATE, ON_DELETE_CUTOVER,
        "what destroying the resource does",
        default=OnDelete.RETAIN.value,
        variants={
            CUTOVER_NAME: Variant(
                "what destroying the resource does: `retain` (nothing), `revert` (servers back to READY_FOR_CUTOVER) "
                "or `terminate` (terminate the launched instances, then revert)",
                ON_DELETE_CUTOVER,
            ),
            TEST_LAUNCH_NAME: Variant(
                "what destroying the resource does: `retain` (nothing) or `terminate` (terminate the test instances "
                "and return the servers to READY_FOR_TEST)",
                ON_DELETE_TEST,
            ),
            LAUNCH_SETTINGS_NAME: Variant(
                "what destroying the resource does: `retain` (the settings stay) or `restore` (the launch "
                "template's previous default version becomes the default again)",
                ON_DELETE_SETTINGS,
            ),
        },
    ),
    # ---- LaunchSettings: one source server's target ----
    Input(
        "source_server_id", STRING, SETTINGS, Change.REPLACE, SourceServerId(),
        "the MGN source server whose launch settings these are",
        default=REQUIRED,
    ),
    Input(
        "instance_type", STRING, SETTINGS, Change.UPDATE, ModelEnum("ec2", "InstanceType", "m5.large"),
        "EC2 launch template: the instance type (set `right_sizing` to `NONE`, or MGN's right-sizing overrides it)",
    ),
    Input(
        "subnet_id", STRING, SETTINGS, Change.UPDATE, Matching(SUBNET_ID, "a subnet ID (subnet- and 8 or 17 hex)"),
        "EC2 launch template: the subnet of the primary network interface",
    ),
    Input(
        "security_group_ids", STRING_LIST, SETTINGS, Change.UPDATE, Ids(SECURITY_GROUP_ID, "security group IDs (sg-)"),
        "EC2 launch template: the security groups of the primary network interface",
        unordered=True,
    ),
    Input(
        "private_ip_address", STRING, SETTINGS, Change.UPDATE, Ipv4(),
        "EC2 launch template: the primary private IPv4 address (else `copy_private_ip`, else the subnet's choice)",
    ),
    Input(
        "associate_public_ip_address", BOOLEAN, SETTINGS, Change.UPDATE, Boolean(),
        "EC2 launch template: give the primary network interface a public IPv4 address",
    ),
    Input(
        "iam_instance_profile", STRING, SETTINGS, Change.UPDATE,
        Matching(INSTANCE_PROFILE, "an instance profile name or ARN"),
        "EC2 launch template: the IAM instance profile (name or ARN)",
    ),
    Input(
        "instance_tags", STRING_MAP, SETTINGS, Change.UPDATE, InstanceTags(),
        "EC2 launch template: tags of the launched instance",
    ),
    Input(
        "launch_disposition", STRING, SETTINGS, Change.UPDATE, ModelEnum("mgn", "LaunchDisposition", "STARTED"),
        "MGN launch configuration: start the instance (`STARTED`) or leave it `STOPPED` (not waited on for health)",
    ),
    Input(
        "copy_private_ip", BOOLEAN, SETTINGS, Change.UPDATE, Boolean(),
        "MGN launch configuration: give the instance the source server's private IP",
    ),
    Input(
        "copy_tags", BOOLEAN, SETTINGS, Change.UPDATE, Boolean(),
        "MGN launch configuration: copy the source server's tags to the instance",
    ),
    Input(
        "right_sizing", STRING, SETTINGS, Change.UPDATE,
        ModelEnum("mgn", "TargetInstanceTypeRightSizingMethod", "NONE"),
        "MGN launch configuration: `targetInstanceTypeRightSizingMethod`",
    ),
    Input(
        "boot_mode", STRING, SETTINGS, Change.UPDATE, ModelEnum("mgn", "BootMode", "USE_SOURCE"),
        "MGN launch configuration: the boot mode",
    ),
    Input(
        "byol", BOOLEAN, SETTINGS, Change.UPDATE, Boolean(),
        "MGN launch configuration: bring your own OS licence (`licensing.osByol`)",
    ),
)

CUTOVER = ResourceSchema.of(CUTOVER_NAME, INPUTS)
TEST_LAUNCH = ResourceSchema.of(TEST_LAUNCH_NAME, INPUTS)
LAUNCH_SETTINGS = ResourceSchema.of(LAUNCH_SETTINGS_NAME, INPUTS)
RESOURCES: tuple[ResourceSchema, ...] = (CUTOVER, TEST_LAUNCH, LAUNCH_SETTINGS)
BY_KIND = {LaunchKind.CUTOVER: CUTOVER, LaunchKind.TEST: TEST_LAUNCH}

# The generated code's shared base classes: the inputs several resources take alike live in one class named here.
SHARED_BASES: dict[frozenset[str], str] = {frozenset(CONNECTED): "Connection", frozenset(BOTH): "Launch"}


def launch_spec(kind: LaunchKind, inputs: Mapping[str, Any]) -> LaunchSpec:
    """The engine's LaunchSpec from (checked) inputs: every row marked ``engine``, defaults filled in, converted."""
    schema = BY_KIND[kind]
    settings = schema.with_defaults(inputs)
    return LaunchSpec(
        kind,
        **{
            row.name: row.type.to_engine(settings[row.name])
            for row in schema.inputs
            if row.engine and settings.get(row.name) is not None
        },
    )
