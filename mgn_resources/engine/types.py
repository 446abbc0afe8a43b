"""What the engine is asked to do and what it reports back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from ..aws.shapes import Job, LaunchKind, ParticipatingServer


class Progress(Protocol):
    """Where the engine reports what changed (the provider sends it to ``pulumi.log``)."""

    def info(self, message: str) -> None: ...

    def warn(self, message: str) -> None: ...


class SilentProgress:
    def info(self, message: str) -> None:
        pass

    def warn(self, message: str) -> None:
        pass


@dataclass(frozen=True)
class LaunchSpec:
    """One launch, as the provider builds it from the checked inputs (the defaults are the input schema's)."""

    kind: LaunchKind
    source_server_ids: tuple[str, ...]
    timeout_seconds: float
    poll_interval_seconds: float  # the ceiling of the poll interval
    wait_for_post_launch_actions: bool
    tags: Mapping[str, str] = field(default_factory=dict)
    finalize: bool = False  # cutover only: not asked unless given
    mark_ready_for_cutover: bool = False  # test only: not asked unless given
    require_successful_test: bool = False  # cutover only: not asked unless given
    max_replication_lag_seconds: float | None = None  # cutover only: no lag limit unless given
    wait_for_healthy_instances: bool = False  # not asked unless given (the schema's default asks)

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
