"""A Cutover or TestLaunch declared by MGN applications (``application_ids``) or an MGN wave (``wave_id``) instead of
its servers: the servers are resolved once, at create, and are the output ``source_server_ids`` from then on.

Drift is reported, never acted on: a refresh lists the servers an application gained since in
``unlaunched_server_ids`` with one warning, and no update launches them (an update acts on the servers the state
records, as for ``source_server_ids``). A server that left an application stays launched. check and diff make no AWS
call: diff compares the group as declared, and a change of it replaces (``Change.REPLACE`` rows).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi.output import Unknown

from ..aws import LaunchKind
from ..engine import Progress
from ..engine.members import Group, WaveApplication, read_members, resolve_members, unlaunched, wave_applications
from .common import is_unknown, user_errors
from .effective import StackSettings
from .session import Session, session_for_inputs

SERVERS = "source_server_ids"
UNLAUNCHED = "unlaunched_server_ids"

__all__ = [
    "SERVERS",
    "UNLAUNCHED",
    "WaveApplication",
    "WaveLookup",
    "declared",
    "group_of",
    "lookup_wave",
    "resolved",
    "unlaunched_now",
    "unresolved",
]


def group_of(props: Mapping[str, Any]) -> Group:
    """The applications or wave ``props`` declare (an empty Group when they list servers)."""
    applications = props.get("application_ids")
    wave = props.get("wave_id")
    return Group(
        application_ids=tuple(applications) if isinstance(applications, list | tuple) else (),
        wave_id=wave if isinstance(wave, str) else "",
    )


def _declares_group(props: Mapping[str, Any]) -> bool:
    """Whether ``props`` give ``application_ids`` or ``wave_id`` (an unknown value counts: it will be given)."""
    values = [props.get("application_ids"), props.get("wave_id")]
    return any(is_unknown(value) or bool(value) for value in values)


def declared(state: Mapping[str, Any], inputs: Mapping[str, Any]) -> dict[str, Any]:
    """``inputs`` with the servers they declare: for a group, the servers ``state`` records (what create resolved it
    to), so that diff and update compare and act on those and never on what the group lists now."""
    if inputs.get(SERVERS) is not None or not _declares_group(inputs):
        return dict(inputs)
    return {**inputs, SERVERS: list(state.get(SERVERS) or [])}


def unresolved(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """A create's preview outputs of ``inputs``: for a group, its servers are not known until the create resolves it."""
    if inputs.get(SERVERS) is not None or not _declares_group(inputs):
        return dict(inputs)
    return {**inputs, SERVERS: Unknown()}


def resolved(session: Session, kind: LaunchKind, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """At create (or its preview): ``inputs`` with the group's servers as MGN lists them now, or the group's one-
    sentence refusal (unknown, empty, over MGN's servers per job). Inputs that list servers come back as they are."""
    group = group_of(inputs)
    if not group or inputs.get(SERVERS) is not None:
        return dict(inputs)
    members = resolve_members(session.api, group, kind, session.where)
    return {**inputs, SERVERS: list(members.server_ids)}


def unlaunched_now(session: Session, kind: LaunchKind, state: Mapping[str, Any], recorded: Sequence[str]) -> list[str]:
    """At refresh: the servers the state's group lists now that it did not resolve to at create, with one warning
    naming them; [] for a resource that lists its servers. Never launched: that is the user's act."""
    group = group_of(state)
    if not group:
        return []
    found = list(unlaunched(read_members(session.api, group), recorded))
    if found:
        job = str(state.get("job_id") or "(unknown)")
        them, are = ("them", "they are") if len(found) > 1 else ("it", "it is")
        lists = "list" if len(group.application_ids) > 1 else "lists"
        session.progress.warn(
            f"{group.named[:1].upper()}{group.named[1:]} now {lists} {', '.join(found)}, added after this {kind.noun} "
            f"(job {job}) resolved its servers; {are} in unlaunched_server_ids, and no refresh or `pulumi up` "
            f"launches {them}: to launch {them}, replace this resource or declare a new one."
        )
    return found


@dataclass(frozen=True)
class WaveLookup:
    """Where a program looks a wave up: as a resource's connection inputs would say it."""

    region: str = ""
    endpoint_url: str = ""
    role_arn: str = ""
    account_id: str = ""


def lookup_wave(wave_id: str, where: WaveLookup, stack: StackSettings, progress: Progress) -> list[WaveApplication]:
    """At program time: the applications of MGN wave ``wave_id`` and each one's servers (not archived), read-only
    (ListWaves, ListApplications, DescribeSourceServers)."""
    inputs = {key: value for key, value in vars(where).items() if value}
    session = user_errors(lambda: session_for_inputs(inputs, stack, progress))
    return user_errors(lambda: wave_applications(session.api, wave_id, session.where))
