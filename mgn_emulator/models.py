"""The emulator's state: frozen dataclasses and ``str`` enums (dicts appear only at the wire edge)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import EnumType, StrEnum
from typing import TYPE_CHECKING, TypeVar

from mgn_emulator.spec import id_pattern, model_enum

SERVER_ID = id_pattern("SourceServerID")  # from botocore's model, as the provider's check takes it
JOB_ID = id_pattern("JobID")
APPLICATION_ID = id_pattern("ApplicationID")
WAVE_ID = id_pattern("WaveID")
ACCOUNT_ID = re.compile(r"[0-9]{12}")
REGION = re.compile(r"[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}")
#: The account and region the emulator plays unless its seed names others.
DEFAULT_ACCOUNT = "111122223333"
DEFAULT_REGION = "us-east-1"

_E = TypeVar("_E")

# MGN's own enums, read from botocore's model: a member is named as its value (LifeCycleState.CUTOVER).
if TYPE_CHECKING:

    class _ModelEnumType(EnumType):
        """For the type checker only: a member is any name the model lists (a name it lacks fails when used)."""

        def __getattr__(cls: type[_E], name: str) -> _E: ...

    class LifeCycleState(StrEnum, metaclass=_ModelEnumType): ...

    class JobStatus(StrEnum, metaclass=_ModelEnumType): ...

    class LaunchStatus(StrEnum, metaclass=_ModelEnumType): ...

    class ActionStatus(StrEnum, metaclass=_ModelEnumType): ...

    class JobType(StrEnum, metaclass=_ModelEnumType): ...

    class InitiatedBy(StrEnum, metaclass=_ModelEnumType): ...

    class HealthStatus(StrEnum, metaclass=_ModelEnumType): ...

    class ProgressStatus(StrEnum, metaclass=_ModelEnumType): ...

else:
    LifeCycleState = model_enum("LifeCycleState")
    JobStatus = model_enum("JobStatus")
    LaunchStatus = model_enum("LaunchStatus")
    ActionStatus = model_enum("PostLaunchActionExecutionStatus")
    JobType = model_enum("JobType")
    InitiatedBy = model_enum("InitiatedBy")  # the model also lists DIAGNOSTIC, which the emulator never starts
    # The model gives waves enums of their own (WaveHealthStatus, WaveProgressStatus); render.wave checks that the
    # values it sends are in them.
    HealthStatus = model_enum("ApplicationHealthStatus")
    ProgressStatus = model_enum("ApplicationProgressStatus")


#: The states some launch starts from (and that ChangeServerLifeCycleState accepts).
LAUNCHABLE_STATES = frozenset(
    {
        LifeCycleState.READY_FOR_TEST,
        LifeCycleState.TESTING,
        LifeCycleState.READY_FOR_CUTOVER,
        LifeCycleState.CUTTING_OVER,
    }
)
#: TerminateTargetInstances "will not work for any Source Server with a lifecycle.state of" these.
NOT_TERMINABLE_STATES = frozenset({LifeCycleState.TESTING, LifeCycleState.CUTTING_OVER, LifeCycleState.CUTOVER})
#: MarkAsArchived "only works for SourceServers with a lifecycle state that equals DISCONNECTED or CUTOVER".
ARCHIVABLE_STATES = frozenset({LifeCycleState.DISCONNECTED, LifeCycleState.CUTOVER})


class LaunchOutcome(StrEnum):
    OK = "ok"
    FAIL = "fail"


class ActionResult(StrEnum):
    SUCCESS = "SUCCESS"
    FAILED = "FAILED"


#: The states each launch starts from. MGN's documented path is READY_FOR_TEST -> TESTING -> READY_FOR_CUTOVER ->
#: CUTTING_OVER, and CUTTING_OVER is left only by FinalizeCutover or a revert: StartTest (which moves a server to
#: TESTING) does not start from CUTTING_OVER. The engine's preflight (engine/preflight.py) follows the same rule.
LAUNCHABLE_BY = {
    InitiatedBy.START_TEST: LAUNCHABLE_STATES - {LifeCycleState.CUTTING_OVER},
    InitiatedBy.START_CUTOVER: LAUNCHABLE_STATES,
}


#: Jobs are PENDING for this share of their launch time, then STARTED.
PENDING_SHARE = 0.2


@dataclass(frozen=True)
class PostLaunchAction:
    name: str
    must_succeed: bool = True
    result: ActionResult = ActionResult.SUCCESS


@dataclass(frozen=True)
class Initiated:
    api_call: datetime
    job_id: str


@dataclass(frozen=True)
class LastLaunch:
    """``lifeCycle.lastTest`` / ``lifeCycle.lastCutover``."""

    initiated: Initiated | None = None
    reverted: datetime | None = None
    finalized: datetime | None = None


@dataclass(frozen=True)
class LaunchedInstance:
    ec2_instance_id: str
    job_id: str
    first_boot: str = "SUCCEEDED"


@dataclass(frozen=True)
class LaunchConfig:
    """The MGN launch configuration of a source server (GetLaunchConfiguration / UpdateLaunchConfiguration)."""

    ec2_launch_template_id: str = ""  # created in EC2 when first needed ("" until then)
    launch_disposition: str = "STARTED"
    right_sizing: str = "BASIC"
    copy_private_ip: bool = False
    copy_tags: bool = False
    byol: bool = False
    boot_mode: str = "USE_SOURCE"


@dataclass(frozen=True)
class SourceServer:
    server_id: str
    hostname: str
    state: LifeCycleState
    added: datetime
    launch: LaunchOutcome = LaunchOutcome.OK
    post_launch_actions: tuple[PostLaunchAction, ...] = ()
    replication_type: str = "AGENT_BASED"
    replication_state: str = "CONTINUOUS"
    replication_lag_seconds: float = 0.0
    archived: bool = False
    tags: Mapping[str, str] = field(default_factory=dict)
    last_test: LastLaunch = LastLaunch()
    last_cutover: LastLaunch = LastLaunch()
    launched_instance: LaunchedInstance | None = None
    launch_config: LaunchConfig = LaunchConfig()
    #: The last instance a test job launched for this server, while the emulator still has it (kept when a cutover
    #: launches or a test is reverted): the server's next test or cutover launch deletes it first.
    test_instance: LaunchedInstance | None = None
    #: The application the server belongs to (AssociateSourceServers): at most one.
    application_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class Group:
    """What an application and a wave have alike (keyword-only: each kind adds its ID, the one positional field)."""

    name: str
    created: datetime
    modified: datetime
    description: str = ""
    archived: bool = False
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Application(Group):
    """An MGN application: a named group of source servers (they name it: :attr:`SourceServer.application_id`)."""

    application_id: str
    #: The wave the application belongs to (AssociateApplications): at most one.
    wave_id: str | None = None


@dataclass(frozen=True)
class Wave(Group):
    """An MGN wave: a named group of applications (they name it: :attr:`Application.wave_id`)."""

    wave_id: str


@dataclass(frozen=True)
class JobServer:
    """A participating server, with its fate decided when the job starts."""

    server_id: str
    previous_state: LifeCycleState
    fails: bool = False
    instance_id: str | None = None
    actions: tuple[PostLaunchAction, ...] = ()
    execution_ids: tuple[str, ...] = ()
    error: str = ""  # why EC2 refused to launch it (its LAUNCH_FAILED rawError); "" for a seeded failure
    deleted_instance: str | None = None  # the previous test instance this launch deleted first (CLEANUP_* events)


@dataclass(frozen=True)
class Job:
    job_id: str
    job_type: JobType
    initiated_by: InitiatedBy
    created: datetime
    launch_seconds: float
    post_launch_seconds: float
    servers: tuple[JobServer, ...]
    tags: Mapping[str, str] = field(default_factory=dict)
    never_complete: bool = False
    visible_from: datetime | None = None
    settled: bool = False

    @property
    def ends(self) -> datetime:
        return self.created + timedelta(seconds=self.launch_seconds)

    def status(self, now: datetime) -> JobStatus:
        elapsed = (now - self.created).total_seconds()
        if elapsed < self.launch_seconds * PENDING_SHARE:
            return JobStatus.PENDING
        if self.never_complete or elapsed < self.launch_seconds:
            return JobStatus.STARTED
        return JobStatus.COMPLETED

    def launch_status(self, server: JobServer, now: datetime) -> LaunchStatus:
        status = self.status(now)
        if status is JobStatus.PENDING:
            return LaunchStatus.PENDING
        if status is JobStatus.STARTED:
            return LaunchStatus.IN_PROGRESS
        if self.job_type is JobType.TERMINATE:
            return LaunchStatus.TERMINATED
        return LaunchStatus.FAILED if server.fails else LaunchStatus.LAUNCHED

    def action_status(self, action: PostLaunchAction, now: datetime) -> ActionStatus | None:
        """None before the launch completes; IN_PROGRESS for ``post_launch_seconds`` after; then the result."""
        if self.status(now) is not JobStatus.COMPLETED:
            return None
        if (now - self.ends).total_seconds() < self.post_launch_seconds:
            return ActionStatus.IN_PROGRESS
        return ActionStatus(action.result.value)

    def visible(self, now: datetime) -> bool:
        return self.visible_from is None or now >= self.visible_from

    def involves(self, server_id: str) -> bool:
        return any(s.server_id == server_id for s in self.servers)
