"""The MGN adapter: boto3 clients, paginated calls, shapes and error translation."""

from ..errors import MgnConflictError, TransientApiError
from .api import MgnApi
from .connection import (
    Connection,
    LazyEc2Client,
    Sourced,
    build_client,
    ec2_client,
    mgn_client,
    profile_setting,
    region_setting,
    resolve_region,
)
from .endpoints import ENDPOINT_ENV, ConfiguredEndpoint, check_profile, configured_endpoint
from .errors import Endpoint
from .limits import Limits, model_limits
from .regions import mgn_regions, partition_of, partitions, serves_mgn
from .shapes import (
    ActionStatus,
    Job,
    JobLogItem,
    JobStatus,
    LaunchKind,
    LaunchRecord,
    LaunchStatus,
    LifeCycleState,
    ParticipatingServer,
    PostLaunchAction,
    SourceServer,
)
from .target import InstanceHealth, LaunchConfiguration, TargetApi, TemplateVersion

__all__ = [
    "ENDPOINT_ENV",
    "InstanceHealth",
    "LaunchConfiguration",
    "TargetApi",
    "TemplateVersion",
    "ec2_client",
    "ActionStatus",
    "ConfiguredEndpoint",
    "Connection",
    "LazyEc2Client",
    "Endpoint",
    "Job",
    "JobLogItem",
    "JobStatus",
    "LaunchKind",
    "LaunchRecord",
    "LaunchStatus",
    "LifeCycleState",
    "Limits",
    "MgnApi",
    "MgnConflictError",
    "ParticipatingServer",
    "PostLaunchAction",
    "SourceServer",
    "Sourced",
    "TransientApiError",
    "build_client",
    "configured_endpoint",
    "mgn_client",
    "mgn_regions",
    "model_limits",
    "partition_of",
    "partitions",
    "check_profile",
    "profile_setting",
    "region_setting",
    "resolve_region",
    "serves_mgn",
]
