"""What the engine is asked to do and what it reports back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from ..aws.shapes import Job, LaunchKind, ParticipatingServer

DEFAULT_VISIBILITY_GRACE_SECONDS = 60.0


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
    kind: LaunchKind
    source_server_ids: tuple[str, ...]
    tags: Mapping[str, str] = field(default_factory=dict)
    timeout_seconds: float = 3600.0
    poll_interval_seconds: float = 15.0
    wait_for_post_launch_actions: bool = True
    finalize: bool = False  # cutover only
    mark_ready_for_cutover: bool = False  # test only
    require_successful_test: bool = False  # cutover only
    visibility_grace_seconds: float = DEFAULT_VISIBILITY_GRACE_SECONDS

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
