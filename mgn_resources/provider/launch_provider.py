"""The shared Pulumi provider for MGN launches; Cutover and TestLaunch differ in their kind and input schema.

Each server's launch is the unit: create and update launch only the servers with no live launch, removing a
server applies ``on_delete`` to it alone, and refresh reports each server's launch as MGN and EC2 tell it now.
"""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

from pulumi.dynamic import CreateResult, DiffResult, ReadResult, UpdateResult

from ..aws import LaunchKind
from .base import SchemaProvider
from .common import user_errors, without_provider
from .diffing import diff_inputs
from .outputs import FOLLOW_UP_DONE, FOLLOW_UP_INPUT, job_arns, job_outputs, recorded_launches, server_outputs
from .session import PulumiProgress, session_for_inputs, session_for_state, session_for_update
from .translate import launch_spec, run_teardown


class LaunchProvider(SchemaProvider):
    """Cutover's and TestLaunch's provider (see SchemaProvider for what it keeps)."""

    kind: ClassVar[LaunchKind]

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return user_errors(lambda: diff_inputs(olds, news, self.schema, self.stack, PulumiProgress()))

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = without_provider(props)
        session = user_errors(lambda: session_for_inputs(inputs, self.stack))
        result = user_errors(lambda: session.engine.launch(launch_spec(self.kind, inputs)))
        outs = {
            **inputs,
            **job_outputs(result.job, inputs, session.connection),
            **server_outputs(result.launches),
            FOLLOW_UP_DONE[self.kind]: _follow_up(self.kind, result.finalized, result.marked_ready_for_cutover),
        }
        return CreateResult(result.job.job_id, outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        state = without_provider(props)
        session = user_errors(lambda: session_for_state(state, self.stack))
        # Pulumi cannot import dynamic resources (README), so state always names the servers.
        recorded = recorded_launches(state)
        if not recorded:
            return ReadResult("", {})
        refreshed = user_errors(lambda: session.engine.refresh(self.kind, recorded))
        if not refreshed.any_launched:
            return ReadResult("", {})  # none of its servers is launched any more: the resource is gone
        outs = {**state, **server_outputs(refreshed.launches), FOLLOW_UP_DONE[self.kind]: refreshed.follow_up_done}
        return ReadResult(id_, outs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        inputs = without_provider(news)
        state = without_provider(olds)
        session = user_errors(lambda: session_for_update(state, inputs, self.stack))
        old_tags, new_tags = dict(state.get("tags") or {}), dict(inputs.get("tags") or {})
        for arn in job_arns(state):
            user_errors(partial(session.engine.retag, arn, old_tags, new_tags))
        recorded = {s.source_server_id: s for s in recorded_launches(state)}
        wanted = tuple(inputs.get("source_server_ids") or ())
        removed = [s for sid, s in recorded.items() if sid not in wanted]
        if removed:
            user_errors(lambda: run_teardown(session.teardown, self.kind, removed, inputs))
        outs = {**state, **inputs, "effective_role_arn": session.connection.role_arn}
        missing = [sid for sid in wanted if sid not in recorded or not recorded[sid].state.done]
        follow_up_due = bool(inputs.get(FOLLOW_UP_INPUT[self.kind])) and not state.get(FOLLOW_UP_DONE[self.kind])
        if missing or follow_up_due:
            result = user_errors(lambda: session.engine.launch(launch_spec(self.kind, inputs)))
            outs.update(server_outputs(result.launches))
            outs[FOLLOW_UP_DONE[self.kind]] = _follow_up(self.kind, result.finalized, result.marked_ready_for_cutover)
        else:
            outs.update(server_outputs([recorded[sid] for sid in wanted]))
        return UpdateResult(outs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        state = without_provider(props)
        session = user_errors(lambda: session_for_state(state, self.stack))
        user_errors(lambda: run_teardown(session.teardown, self.kind, recorded_launches(state), state))


def _follow_up(kind: LaunchKind, finalized: bool, marked: bool) -> bool:
    return finalized if kind is LaunchKind.CUTOVER else marked
