"""What the engine is asked to do and what it reports back."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..aws.shapes import Job, LaunchKind, ParticipatingServer
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


@dataclass(frozen=True)
class LaunchResult:
    job: Job
    source_server_ids: tuple[str, ...]
    adopted: bool = False
    finalized: bool = False
    marked_ready_for_cutover: bool = False

    def servers_in_order(self) -> list[ParticipatingServer]:
        by_id = {s.source_server_id: s for s in self.job.servers}
        return [by_id[i] for i in self.source_server_ids if i in by_id]
