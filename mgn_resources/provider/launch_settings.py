"""LaunchSettingsProvider: its import path is stored in every stack that uses it; never move or rename it.
Each method is the lifecycle's (``lifecycle/settings.py``), in the dynamic host's types."""

from __future__ import annotations

from typing import Any, ClassVar

from pulumi.dynamic import CreateResult, DiffResult, ReadResult, UpdateResult

from ..lifecycle import settings
from ..schema import LAUNCH_SETTINGS, ResourceSchema
from .base import SchemaProvider, diff_result
from .progress import PulumiProgress


class LaunchSettingsProvider(SchemaProvider):
    """One source server's launch settings: MGN's launch configuration and its launch template's default version."""

    schema: ClassVar[ResourceSchema] = LAUNCH_SETTINGS

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return diff_result(settings.diff(olds, news, self.stack))

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(*settings.create(props, self.stack, PulumiProgress()))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        return ReadResult(id_, settings.read(id_, props, self.stack, PulumiProgress()))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(settings.update(id_, olds, news, self.stack, PulumiProgress()))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        settings.delete(id_, props, self.stack, PulumiProgress())
