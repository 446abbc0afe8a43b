"""LaunchSettings' diff, create, read, update and delete: one source server's launch settings, MGN's launch
configuration and its launch template's default version, props in, outputs out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..aws import Connection
from ..engine import Progress
from ..engine.target_settings import EC2_FIELDS, Applied, LaunchSettingsEngine
from ..errors import TemplateNotFoundError
from ..schema import LAUNCH_SETTINGS
from ..schema.inputs import RESTORE
from .common import user_errors, without_provider
from .diffing import Diff, diff_inputs
from .effective import StackSettings
from .session import session_for_inputs, session_for_state
from .translate import target_settings


def diff(olds: Mapping[str, Any], news: Mapping[str, Any], stack: StackSettings) -> Diff:
    result = user_errors(lambda: diff_inputs(olds, news, LAUNCH_SETTINGS, stack))
    if result.replaces or not _changed_elsewhere(olds):
        return result
    # refresh saw another default version: an update makes this resource's settings the default again
    return Diff(changes=True, replaces=[])


def create(props: Mapping[str, Any], stack: StackSettings, progress: Progress) -> tuple[str, dict[str, Any]]:
    """The resource ID (the source server ID) and the outputs."""
    inputs = without_provider(props)
    session = user_errors(lambda: session_for_inputs(inputs, stack, progress))
    settings = target_settings(inputs)
    applied = user_errors(lambda: LaunchSettingsEngine(session.target).apply(inputs["source_server_id"], settings))
    return str(inputs["source_server_id"]), _outputs(inputs, applied, session.connection)


def read(id_: str, props: Mapping[str, Any], stack: StackSettings, progress: Progress) -> dict[str, Any]:
    state = without_provider(props)
    template = str(state.get("launch_template_id") or "")
    if not template:
        return state
    session = user_errors(lambda: session_for_state(state, stack, progress))
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
        progress.warn(
            f"The default version of launch template {template} (source server {id_}) is {default}, not "
            f"{state.get('launch_template_version')} as set by this LaunchSettings: it was changed elsewhere; "
            "`pulumi up` makes these settings the default again."
        )
    return {**state, "default_version": default}


def update(
    id_: str, olds: Mapping[str, Any], news: Mapping[str, Any], stack: StackSettings, progress: Progress
) -> dict[str, Any]:
    inputs = without_provider(news)
    session = user_errors(lambda: session_for_state(olds, stack, progress))
    previous = olds.get("previous_default_version")
    settings = target_settings(inputs if _changed_elsewhere(olds) else _changed(olds, inputs))
    applied = user_errors(
        lambda: LaunchSettingsEngine(session.target).apply(
            id_, settings, int(previous) if previous is not None else None
        )
    )
    return _outputs(inputs, applied, session.connection)


def delete(id_: str, props: Mapping[str, Any], stack: StackSettings, progress: Progress) -> None:
    state = LAUNCH_SETTINGS.with_defaults(without_provider(props))
    if state["on_delete"] != RESTORE or not state.get("launch_template_id"):
        return
    session = user_errors(lambda: session_for_state(state, stack, progress))
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
    progress.info(f"Restored version {previous} as the default of launch template {template} ({id_}).")


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
