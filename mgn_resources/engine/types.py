"""What the engine is asked to do and what it reports back."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from ..aws.shapes import Job, LaunchKind, PostLaunchAction
from ..errors import MgnCutoverError

#: DescribeJobs as the engine calls it: each job MGN lists, or the error for that job alone (``describe_each_job``).
DescribeJobs = Callable[[Sequence[str]], Mapping[str, Job | MgnCutoverError]]


class Progress(Protocol):
    """Where the engine reports what changed (the provider sends it to ``pulumi.log``)."""

    def info(self, message: str) -> None: ...

    def warn(self, message: str) -> None: ...


class SilentProgress:
    def info(self, message: str) -> None:
        pass

    def warn(self, message: str) -> None:
        pass


@dataclass(frozen=True, kw_only=True)
class LaunchSpec:
    """One launch, every value given: the provider builds it from the checked inputs and the schema's defaults
    (``provider/translate.py``); the engine has no input defaults of its own."""

    kind: LaunchKind
    source_server_ids: tuple[str, ...]
    timeout_seconds: float
    poll_interval_seconds: float  # the ceiling of the poll interval
    wait_for_post_launch_actions: bool
    tags: Mapping[str, str]
    finalize: bool  # cutover only (False for a test launch)
    mark_ready_for_cutover: bool  # test only (False for a cutover)
    require_successful_test: bool  # cutover only
    max_replication_lag_seconds: float | None  # cutover only: None, no lag limit
    wait_for_healthy_instances: bool

    @property
    def label(self) -> str:
        return f"{self.kind.noun} of {', '.join(self.source_server_ids)}"


class ServerState(StrEnum):
    """Where one server's launch by a resource stands: the per-server truth a resource's state records."""

    LAUNCHED = "LAUNCHED"  # its launch of the resource's kind is active and its instance is alive
    SUPERSEDED = "SUPERSEDED"  # a test launch whose server was cut over since: done, its test instance is gone
    IN_PROGRESS = "IN_PROGRESS"  # a job is still launching it
    FAILED = "FAILED"  # its last launch failed
    PENDING = "PENDING"  # never launched (as this kind)
    REVERTED = "REVERTED"  # its launch was reverted in MGN
    INSTANCE_GONE = "INSTANCE_GONE"  # its instance is terminated (or stopped, where it was launched to run)
    MISSING = "MISSING"  # MGN no longer lists the server

    @property
    def done(self) -> bool:
        """Nothing left to launch for the server."""
        return self in (ServerState.LAUNCHED, ServerState.SUPERSEDED)


@dataclass(frozen=True, kw_only=True)
class ServerLaunch:
    """One server's launch: the job that launched it (or last tried to), its instance while alive, and its state."""

    source_server_id: str
    state: ServerState
    job_id: str = ""
    job_arn: str = ""
    launch_status: str = ""  # MGN's launchStatus of the server in that job ("" when MGN lists no such job)
    instance_id: str = ""  # only while the instance is alive
    instance_state: str = ""  # EC2's state name, when EC2 was asked
    post_launch_actions: tuple[PostLaunchAction, ...] = ()


def named_jobs(job_ids: Iterable[str], *, none: str = "(none)") -> str:
    """``job j-1`` or ``jobs j-1, j-2`` (each once, in the order given); ``none`` stands for the ID when none is
    given."""
    ids = [job_id for job_id in dict.fromkeys(job_ids) if job_id]
    return f"job{'s' if len(ids) > 1 else ''} {', '.join(ids) or none}"


@dataclass(frozen=True)
class LaunchResult:
    """What a launch (or a refresh) found: ``job`` is the job a create started or adopted; ``launches`` each
    declared server's launch, in the order of ``source_server_ids``."""

    job: Job
    launches: tuple[ServerLaunch, ...]
    adopted: bool = False
    finalized: bool = False
    marked_ready_for_cutover: bool = False

    @property
    def source_server_ids(self) -> tuple[str, ...]:
        return tuple(s.source_server_id for s in self.launches)

    def launched(self) -> list[ServerLaunch]:
        return [s for s in self.launches if s.state is ServerState.LAUNCHED]


@dataclass(frozen=True)
class Refreshed:
    """What a refresh found: each recorded server's launch now, and whether every live server is finalized (a
    cutover) or marked ready for cutover (a test launch)."""

    launches: tuple[ServerLaunch, ...]
    follow_up_done: bool

    @property
    def any_launched(self) -> bool:
        """Whether any server is launched (or being launched) still: a resource with none is gone."""
        return any(s.state.done or s.state is ServerState.IN_PROGRESS for s in self.launches)
