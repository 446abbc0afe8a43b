"""LaunchSettingsProvider: its import path is stored in every stack that uses it; never move or rename it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import pulumi
from pulumi.dynamic import (
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)

from ..aws import Connection
from ..engine.target_settings import EC2_FIELDS, Applied, LaunchSettingsEngine
from ..errors import TemplateNotFoundError
from ..schema import LAUNCH_SETTINGS, ResourceSchema
from ..schema.inputs import RESTORE
from .base import SchemaProvider
from .common import user_errors, without_provider
from .diffing import diff_inputs
from .session import session_for_inputs, session_for_state
from .translate import target_settings


class LaunchSettingsProvider(SchemaProvider):
    """One source server's launch settings: MGN's launch configuration and its launch template's default version."""

    schema: ClassVar[ResourceSchema] = LAUNCH_SETTINGS

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        result = user_errors(lambda: diff_inputs(olds, news, self.schema, self.stack))
        if result.replaces or not _changed_elsewhere(olds):
            return result
        # refresh saw another default version: an update makes this resource's settings the default again
        return DiffResult(changes=True, replaces=[], stables=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = without_provider(props)
        session = user_errors(lambda: session_for_inputs(inputs, self.stack))
        settings = target_settings(inputs)
        applied = user_errors(lambda: LaunchSettingsEngine(session.target).apply(inputs["source_server_id"], settings))
        return CreateResult(str(inputs["source_server_id"]), _outputs(inputs, applied, session.connection))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        state = without_provider(props)
        session = user_errors(lambda: session_for_state(state, self.stack))
        template = str(state.get("launch_template_id") or "")
        if not template:
            return ReadResult(id_, state)
        try:
            default = user_errors(lambda: LaunchSettingsEngine(session.target).default_version(id_, template))
        except TemplateNotFoundError as exc:
            raise TemplateNotFoundError(
                f"Refresh of the LaunchSettings of source server {id_}: {_gone(exc, template)}, so the settings it "
                "holds are not in force; run `pulumi state delete` on this LaunchSettings, then `pulumi up` to apply "
                "them to the launch template MGN names for the server now.",
                source_server_id=id_,
                template_id=template,
                code=exc.code,
            ) from None
        if default != state.get("launch_template_version"):
            pulumi.log.warn(
                f"The default version of launch template {template} (source server {id_}) is {default}, not "
                f"{state.get('launch_template_version')} as set by this LaunchSettings: it was changed elsewhere; "
                "`pulumi up` makes these settings the default again."
            )
        return ReadResult(id_, {**state, "default_version": default})

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        inputs = without_provider(news)
        session = user_errors(lambda: session_for_state(olds, self.stack))
        previous = olds.get("previous_default_version")
        settings = target_settings(inputs if _changed_elsewhere(olds) else _changed(olds, inputs))
        applied = user_errors(
            lambda: LaunchSettingsEngine(session.target).apply(
                id_, settings, int(previous) if previous is not None else None
            )
        )
        return UpdateResult(_outputs(inputs, applied, session.connection))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        state = self.schema.with_defaults(without_provider(props))
        if state["on_delete"] != RESTORE or not state.get("launch_template_id"):
            return
        session = user_errors(lambda: session_for_state(state, self.stack))
        template, previous = str(state["launch_template_id"]), int(state["previous_default_version"])
        try:
            user_errors(lambda: LaunchSettingsEngine(session.target).restore(id_, template, previous))
        except TemplateNotFoundError as exc:
            raise TemplateNotFoundError(
                f"Destroy of the LaunchSettings of source server {id_} (on_delete restore): {_gone(exc, template)}, "
                f"so its version {previous} cannot be made the default again and nothing is left to restore; run "
                "`pulumi state delete` on this LaunchSettings instead of destroying it.",
                source_server_id=id_,
                template_id=template,
                code=exc.code,
            ) from None
        pulumi.log.info(f"Restored version {previous} as the default of launch template {template} ({id_}).")


def _gone(exc: TemplateNotFoundError, template: str) -> str:
    if exc.code:
        return f"EC2 no longer knows launch template {template} ({exc.code})"
    return f"EC2 lists no default version of launch template {template}"


def _changed_elsewhere(olds: Mapping[str, Any]) -> bool:
    seen = olds.get("default_version")
    return seen is not None and seen != olds.get("launch_template_version")


def _changed(olds: Mapping[str, Any], inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs to apply on an update: the MGN settings that changed, and every EC2 setting if one changed."""
    changed = {k: v for k, v in inputs.items() if olds.get(k) != v}
    if any(k in changed for k in EC2_FIELDS):
        changed.update({k: inputs[k] for k in EC2_FIELDS if k in inputs})
    return changed


def _outputs(inputs: Mapping[str, Any], applied: Applied, connection: Connection) -> dict[str, Any]:
    return {
        **inputs,
        "launch_template_id": applied.launch_template_id,
        "launch_template_version": applied.launch_template_version,
        "previous_default_version": applied.previous_default_version,
        "default_version": applied.launch_template_version,
        "effective_region": connection.region,
        "effective_endpoint_url": connection.endpoint_url,
        "effective_role_arn": connection.role_arn,
        "effective_account_id": str(inputs.get("account_id") or ""),
    }
