"""THE TABLE: every input of `Cutover`, `TestLaunch` and `LaunchSettings`, one row each.

A new input is one row here plus its behaviour (the provider turns it into an engine call:
``mgn_resources/provider/translate.py``); then run ``python -m mgn_resources.schema.generate`` to regenerate the Args
classes (``mgn_resources/resources/_generated.py``) and the README's input tables. check, the defaults and diff's
replace and update sets read the rows directly. An input that differs between resources (``on_delete``) has one row
per resource.
"""

from __future__ import annotations

import re

from .model import REQUIRED, Change, Input, ResourceSchema
from .rules import AccountId, ApplicationIds, Boolean, EndpointUrl, Matching, OneOf, Seconds, ServerIds, Tags, WaveId
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

RETAIN, REVERT, TERMINATE, RESTORE = "retain", "revert", "terminate", "restore"  # the values of on_delete
ON_DELETE_CUTOVER = OneOf({
    RETAIN: "nothing",
    REVERT: "servers back to READY_FOR_CUTOVER",
    TERMINATE: "terminate the launched instances, then revert",
})
ON_DELETE_TEST = OneOf({
    RETAIN: "nothing",
    TERMINATE: "terminate the test instances and return the servers to READY_FOR_TEST",
})
ON_DELETE_SETTINGS = OneOf({
    RETAIN: "the settings stay",
    RESTORE: "the launch template's previous default version becomes the default again",
})
ON_DELETE_DOC = "what destroying the resource does"

INPUTS: tuple[Input, ...] = (
    Input(
        name="source_server_ids", type=STRING_LIST, resources=BOTH, change=Change.UPDATE, rule=ServerIds(),
        doc="the MGN source servers to launch; their order sets the order of `instance_ids`; adding one launches "
        "it alone, removing one applies `on_delete` to it alone; given `application_ids` or `wave_id` instead, the "
        "output lists the servers they resolved to at create",
        unordered=True, alternatives=("application_ids", "wave_id"),
    ),
    Input(
        name="application_ids", type=STRING_LIST, resources=BOTH, change=Change.REPLACE, rule=ApplicationIds(),
        doc="instead of `source_server_ids`: the MGN applications whose servers to launch, resolved at create "
        "(their servers not archived); a server added to one later is reported in "
        "`unlaunched_server_ids`, never launched",
        unordered=True,
    ),
    Input(
        name="wave_id", type=STRING, resources=BOTH, change=Change.REPLACE, rule=WaveId(),
        doc="instead of `source_server_ids`: the MGN wave whose servers to launch, resolved at create "
        "(its applications' servers not archived); a server added later is reported in "
        "`unlaunched_server_ids`, never launched",
    ),
    Input(
        name="tags", type=STRING_MAP, resources=BOTH, change=Change.UPDATE, rule=Tags(),
        doc="tags of the MGN job",
        default={},
    ),
    Input(
        name="account_id", type=STRING, resources=CONNECTED, change=Change.REPLACE, rule=AccountId(),
        doc="MGN multi-account management: the account that owns the source servers",
    ),
    Input(
        name="region", type=STRING, resources=CONNECTED, change=Change.REPLACE,
        rule=Matching(REGION, "an AWS region such as us-east-1"),
        doc="the AWS region of the source servers; it must be one where botocore's data lists MGN (checked wherever "
        "the region comes from), any other only with an `endpoint_url`",
        unset="`aws:region`",
    ),
    Input(
        name="endpoint_url", type=STRING, resources=CONNECTED, change=Change.REPLACE, rule=EndpointUrl(),
        doc="an MGN endpoint to use instead of AWS's: an emulator or a VPC endpoint (`LaunchSettings` and the "
        "healthy-instance wait send their EC2 calls there too)",
        unset="`AWS_ENDPOINT_URL_MGN`, `AWS_ENDPOINT_URL` or the profile's endpoint",
    ),
    Input(
        name="role_arn", type=STRING, resources=CONNECTED, change=Change.REPLACE,
        rule=Matching(ROLE_ARN, "an IAM role ARN such as arn:aws:iam::123456789012:role/mgn-cutover"),
        doc="an IAM role to assume for every MGN call; its partition must be one botocore knows (`aws`, `aws-cn`, "
        "`aws-us-gov`, `aws-iso`, ...) and the region's",
    ),
    Input(
        name="timeout_seconds", type=NUMBER, resources=BOTH, change=Change.UPDATE,
        rule=Seconds(0.0, MAX_TIMEOUT_SECONDS),
        doc="how long create (and delete's terminate) waits for the job; the next `pulumi up` adopts a job still "
        "running",
        default=3600.0,
    ),
    Input(
        name="poll_interval_seconds", type=NUMBER, resources=BOTH, change=Change.UPDATE,
        rule=Seconds(MIN_POLL_INTERVAL_SECONDS, MAX_POLL_INTERVAL_SECONDS),
        doc="the ceiling of the interval between polls of the job (1 s at first, then 5% of the time since it "
        "started)",
        default=15.0,
    ),
    Input(
        name="wait_for_post_launch_actions", type=BOOLEAN, resources=BOTH, change=Change.UPDATE, rule=Boolean(),
        doc="wait until every post-launch action is done",
        default=True,
    ),
    Input(
        name="finalize", type=BOOLEAN, resources=(CUTOVER_NAME,), change=Change.UPDATE, rule=Boolean(),
        doc="FinalizeCutover once launched (servers go to CUTOVER, replication stops); not with `on_delete` `revert` "
        "or `terminate`, since MGN cannot undo a finalized cutover",
        default=False,
    ),
    Input(
        name="require_successful_test", type=BOOLEAN, resources=(CUTOVER_NAME,), change=Change.UPDATE,
        rule=Boolean(),
        doc="refuse servers whose last test launch did not succeed",
        default=False,
    ),
    Input(
        name="max_replication_lag_seconds", type=NUMBER, resources=(CUTOVER_NAME,), change=Change.UPDATE,
        rule=Seconds(0.0, MAX_TIMEOUT_SECONDS),
        doc="refuse servers whose replication lag (`dataReplicationInfo.lagDuration`) is over this; servers whose "
        "data replication is not CONTINUOUS are refused in any case",
        unset="no lag limit",
    ),
    Input(
        name="wait_for_healthy_instances", type=BOOLEAN, resources=BOTH, change=Change.UPDATE, rule=Boolean(),
        doc="after the job, wait (within `timeout_seconds`) until each launched instance is running with both EC2 "
        "status checks ok; instances launched STOPPED (launch disposition) are not waited on",
        default=True,
    ),
    Input(
        name="mark_ready_for_cutover", type=BOOLEAN, resources=(TEST_LAUNCH_NAME,), change=Change.UPDATE,
        rule=Boolean(),
        doc="once the test succeeded, mark the servers READY_FOR_CUTOVER",
        default=True,
    ),
    Input(
        name="allow_revert_on_replace", type=BOOLEAN, resources=BOTH, change=Change.UPDATE, rule=Boolean(),
        doc="let a replacement (a change of account, region, endpoint or role) apply `on_delete` to the live "
        "servers; without it such a replacement is refused, naming them",
        default=False,
    ),
    Input(
        name="on_delete", type=STRING, resources=(CUTOVER_NAME,), change=Change.UPDATE, rule=ON_DELETE_CUTOVER,
        doc=ON_DELETE_DOC, default=RETAIN,
    ),
    Input(
        name="on_delete", type=STRING, resources=(TEST_LAUNCH_NAME,), change=Change.UPDATE, rule=ON_DELETE_TEST,
        doc=ON_DELETE_DOC, default=RETAIN,
    ),
    Input(
        name="on_delete", type=STRING, resources=SETTINGS, change=Change.UPDATE, rule=ON_DELETE_SETTINGS,
        doc=ON_DELETE_DOC, default=RETAIN,
    ),
    # ---- LaunchSettings: one source server's target ----
    Input(
        name="source_server_id", type=STRING, resources=SETTINGS, change=Change.REPLACE, rule=SourceServerId(),
        doc="the MGN source server whose launch settings these are",
        default=REQUIRED,
    ),
    Input(
        name="instance_type", type=STRING, resources=SETTINGS, change=Change.UPDATE,
        rule=ModelEnum("ec2", "InstanceType", "m5.large"),
        doc="EC2 launch template: the instance type (set `right_sizing` to `NONE`, or MGN's right-sizing overrides "
        "it)",
    ),
    Input(
        name="subnet_id", type=STRING, resources=SETTINGS, change=Change.UPDATE,
        rule=Matching(SUBNET_ID, "a subnet ID (subnet- and 8 or 17 hex)"),
        doc="EC2 launch template: the subnet of the primary network interface",
    ),
    Input(
        name="security_group_ids", type=STRING_LIST, resources=SETTINGS, change=Change.UPDATE,
        rule=Ids(SECURITY_GROUP_ID, "security group IDs (sg-)"),
        doc="EC2 launch template: the security groups of the primary network interface",
        unordered=True,
    ),
    Input(
        name="private_ip_address", type=STRING, resources=SETTINGS, change=Change.UPDATE, rule=Ipv4(),
        doc="EC2 launch template: the primary private IPv4 address (else `copy_private_ip`, else the subnet's "
        "choice)",
    ),
    Input(
        name="associate_public_ip_address", type=BOOLEAN, resources=SETTINGS, change=Change.UPDATE, rule=Boolean(),
        doc="EC2 launch template: give the primary network interface a public IPv4 address",
    ),
    Input(
        name="iam_instance_profile", type=STRING, resources=SETTINGS, change=Change.UPDATE,
        rule=Matching(INSTANCE_PROFILE, "an instance profile name or ARN"),
        doc="EC2 launch template: the IAM instance profile (name or ARN)",
    ),
    Input(
        name="instance_tags", type=STRING_MAP, resources=SETTINGS, change=Change.UPDATE, rule=InstanceTags(),
        doc="EC2 launch template: tags of the launched instance",
    ),
    Input(
        name="launch_disposition", type=STRING, resources=SETTINGS, change=Change.UPDATE,
        rule=ModelEnum("mgn", "LaunchDisposition", "STARTED"),
        doc="MGN launch configuration: start the instance (`STARTED`) or leave it `STOPPED` (not waited on for "
        "health)",
    ),
    Input(
        name="copy_private_ip", type=BOOLEAN, resources=SETTINGS, change=Change.UPDATE, rule=Boolean(),
        doc="MGN launch configuration: give the instance the source server's private IP",
    ),
    Input(
        name="copy_tags", type=BOOLEAN, resources=SETTINGS, change=Change.UPDATE, rule=Boolean(),
        doc="MGN launch configuration: copy the source server's tags to the instance",
    ),
    Input(
        name="right_sizing", type=STRING, resources=SETTINGS, change=Change.UPDATE,
        rule=ModelEnum("mgn", "TargetInstanceTypeRightSizingMethod", "NONE"),
        doc="MGN launch configuration: `targetInstanceTypeRightSizingMethod`",
    ),
    Input(
        name="boot_mode", type=STRING, resources=SETTINGS, change=Change.UPDATE,
        rule=ModelEnum("mgn", "BootMode", "USE_SOURCE"),
        doc="MGN launch configuration: the boot mode",
    ),
    Input(
        name="byol", type=BOOLEAN, resources=SETTINGS, change=Change.UPDATE, rule=Boolean(),
        doc="MGN launch configuration: bring your own OS licence (`licensing.osByol`)",
    ),
)

CUTOVER = ResourceSchema.of(CUTOVER_NAME, INPUTS)
TEST_LAUNCH = ResourceSchema.of(TEST_LAUNCH_NAME, INPUTS)
LAUNCH_SETTINGS = ResourceSchema.of(LAUNCH_SETTINGS_NAME, INPUTS)
RESOURCES: tuple[ResourceSchema, ...] = (CUTOVER, TEST_LAUNCH, LAUNCH_SETTINGS)
