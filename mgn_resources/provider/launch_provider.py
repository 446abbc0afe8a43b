"""The shared Pulumi provider for MGN launches; Cutover and TestLaunch differ in their kind and input schema."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar

from pulumi.dynamic import (
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)

from ..aws import LaunchKind
from ..engine import LaunchEngine, LaunchSpec, OnDelete
from ..errors import MgnCutoverError
from ..schema import launch_spec
from .base import SchemaProvider
from .diffing import diff_inputs
from .outputs import launch_outputs
from .session import open_session

T = TypeVar("T")


class LaunchProvider(SchemaProvider):
    """Cutover's and TestLaunch's provider (see SchemaProvider for what it keeps)."""

    kind: ClassVar[LaunchKind]

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return user_errors(lambda: diff_inputs(olds, news, self.schema, self.stack))

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = _without_provider(props)
        session = user_errors(lambda: open_session(inputs, self.stack))
        result = user_errors(lambda: session.engine.launch(self.spec(inputs)))
        return CreateResult(result.job.job_id, launch_outputs(self.kind, inputs, result, session.connection))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        state = _without_provider(props)
        session = user_errors(lambda: open_session(state, self.stack))
        # Pulumi cannot import dynamic resources (README), so state always names the job's servers.
        ids = tuple(state.get("source_server_ids") or ())
        result = user_errors(lambda: session.engine.refresh(self.kind, id_, ids)) if ids else None
        if result is None:
            return ReadResult("", {})
        return ReadResult(id_, launch_outputs(self.kind, state, result, session.connection))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        inputs = _without_provider(news)
        session = user_errors(lambda: open_session(olds, self.stack))
        old_tags, new_tags = dict(olds.get("tags") or {}), dict(inputs.get("tags") or {})
        user_errors(lambda: session.engine.retag(str(olds["job_arn"]), old_tags, new_tags))
        outs = {**_without_provider(olds), **inputs}
        self.update_extras(session.engine, id_, olds, inputs, outs)
        return UpdateResult(outs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        state = self.schema.with_defaults(_without_provider(props))
        session = user_errors(lambda: open_session(state, self.stack))
        user_errors(
            lambda: session.teardown.run(
                self.kind,
                OnDelete(state["on_delete"]),
                id_,
                tuple(state.get("source_server_ids") or ()),
                float(state["timeout_seconds"]),
                float(state["poll_interval_seconds"]),
            )
        )

    def spec(self, inputs: Mapping[str, Any]) -> LaunchSpec:
        return launch_spec(self.kind, inputs)

    def update_extras(
        self, engine: LaunchEngine, id_: str, olds: Mapping[str, Any], inputs: Mapping[str, Any], outs: dict[str, Any]
    ) -> None:
        """What an update does beyond re-tagging; the kinds override it."""


def _without_provider(props: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k != "__provider"}


def user_errors(call: Callable[[], T]) -> T:
    """Our errors reach the user as their one sentence: drop botocore's chained traceback."""
    try:
        return call()
    except MgnCutoverError as exc:
        raise exc.with_traceback(None) from None
