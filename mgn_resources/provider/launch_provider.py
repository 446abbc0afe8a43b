"""The shared dynamic provider for MGN launches; Cutover and TestLaunch differ in their kind and input schema.
Each method is the lifecycle's (``lifecycle/launches.py``), in the dynamic host's types."""

from __future__ import annotations

from typing import Any, ClassVar

from pulumi.dynamic import CreateResult, DiffResult, ReadResult, UpdateResult

from ..aws import LaunchKind
from ..lifecycle import launches
from ..lifecycle.common import user_errors
from ..lifecycle.diffing import diff_inputs
from .base import SchemaProvider, diff_result
from .progress import PulumiProgress


class LaunchProvider(SchemaProvider):
    """Cutover's and TestLaunch's provider (see SchemaProvider for what it keeps)."""

    kind: ClassVar[LaunchKind]

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return diff_result(user_errors(lambda: diff_inputs(olds, news, self.schema, self.stack, PulumiProgress())))

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(*launches.create(self.kind, props, self.stack, PulumiProgress()))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        # Pulumi cannot import dynamic resources (README), so state always names the servers.
        outs = launches.read(self.kind, props, self.stack, PulumiProgress())
        return ReadResult("", {}) if outs is None else ReadResult(id_, outs)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(launches.update(self.kind, olds, news, self.stack, PulumiProgress()))

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        launches.delete(self.kind, props, self.stack, PulumiProgress())
