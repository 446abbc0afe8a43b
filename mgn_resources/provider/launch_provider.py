"""The shared Pulumi provider for MGN launches; Cutover and TestLaunch differ in their kind and input schema."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from pulumi.dynamic import (
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)

from ..aws import LaunchKind
from ..engine import LaunchEngine
from .base import SchemaProvider
from .common import user_errors, without_provider
from .diffing import diff_inputs
from .outputs import launch_outputs
from .session import session_for_inputs, session_for_state
from .translate import launch_spec, run_teardown


@dataclass(frozen=True)
class FollowUp:
    """What an update does beyond re-tagging, once: when ``input`` is set and output ``done`` is not yet true, ``run``
    the engine on the job (finalize a cutover, mark a test launch's servers ready for cutover)."""

    input: str
    done: str
    run: Callable[[LaunchEngine, str, tuple[str, ...]], None]


class LaunchProvider(SchemaProvider):
    """Cutover's and TestLaunch's provider (see SchemaProvider for what it keeps)."""

    kind: ClassVar[LaunchKind]
    follow_up: ClassVar[FollowUp]

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return user_errors(lambda: diff_inputs(olds, news, self.schema, self.stack))

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = without_provider(props)
        session = user_errors(lambda: session_for_inputs(inputs, self.stack))
        result = user_errors(lambda: session.engine.launch(launch_spec(self.kind, inputs)))
        return CreateResult(result.job.job_id, launch_outputs(self.kind, inputs, result, session.connection))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        state = without_provider(props)
        session = user_errors(lambda: session_for_state(state, self.stack))
        # Pulumi cannot import dynamic resources (README), so state always names the job's servers.
        ids = tuple(state.get("source_server_ids") or ())
        result = user_errors(lambda: session.engine.refresh(self.kind, id_, ids)) if ids else None
        if result is None:
            return ReadResult("", {})
        return ReadResult(id_, launch_outputs(self.kind, state, result, session.connection))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        inputs = without_provider(news)
        session = user_errors(lambda: session_for_state(olds, self.stack))
        old_tags, new_tags = dict(olds.get("tags") or {}), dict(inputs.get("tags") or {})
        user_errors(lambda: session.engine.retag(str(olds["job_arn"]), old_tags, new_tags))
        outs = {**without_provider(olds), **inputs}
        follow_up = self.follow_up
        if inputs.get(follow_up.input) and not olds.get(follow_up.done):
            ids = tuple(olds.get("source_server_ids") or ())
            user_errors(lambda: follow_up.run(session.engine, id_, ids))
            outs[follow_up.done] = True
        return UpdateResult(outs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        state = without_provider(props)
        session = user_errors(lambda: session_for_state(state, self.stack))
        user_errors(lambda: run_teardown(session.teardown, self.kind, id_, state))
