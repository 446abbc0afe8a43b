"""The servers of MGN applications or of an MGN wave, as MGN lists them now: what a Cutover or TestLaunch declared by
``application_ids`` or ``wave_id`` launches at create, and what its refresh compares against.

A wave resolves through its applications (ListApplications filtered by waveIDs; there is no waveIDs filter on
servers), applications through their servers that are not archived (DescribeSourceServers filtered by applicationIDs
and isArchived false). The servers come in a stable order: by application ID, then by server ID. Read-only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..aws.api import MgnApi
from ..aws.limits import model_limits
from ..aws.shapes import Application, LaunchKind
from ..errors import GroupNotLaunchableError


@dataclass(frozen=True)
class Group:
    """What a resource declared instead of its servers: MGN applications, or one MGN wave."""

    application_ids: tuple[str, ...] = ()
    wave_id: str = ""

    def __bool__(self) -> bool:
        return bool(self.application_ids or self.wave_id)

    @property
    def named(self) -> str:
        """The group as a message names it: ``wave wave-...``, ``application app-...``, ``applications app-1, ...``."""
        if self.wave_id:
            return f"wave {self.wave_id}"
        plural = "s" if len(self.application_ids) > 1 else ""
        return f"application{plural} {', '.join(self.application_ids)}"


@dataclass(frozen=True)
class Members:
    """Each application of a group and its servers (not archived), in a stable order."""

    group: Group
    applications: tuple[tuple[Application, tuple[str, ...]], ...]

    @property
    def server_ids(self) -> tuple[str, ...]:
        return tuple(sid for _, servers in self.applications for sid in servers)

    def application_of(self, source_server_id: str) -> str:
        return next((app.application_id for app, servers in self.applications if source_server_id in servers), "")


def read_members(api: MgnApi, group: Group) -> Members:
    """The group's applications and their servers as MGN lists them now; unknown or empty applications are simply
    absent (refresh reads what is there; :func:`resolve_members` refuses)."""
    if group.wave_id:
        applications = api.list_wave_applications(group.wave_id)
    else:
        applications = api.list_applications(group.application_ids)
    ids = sorted({app.application_id for app in applications})
    servers = api.describe_application_servers(ids) if ids else []
    by_application: dict[str, list[str]] = {app_id: [] for app_id in ids}
    for server in servers:
        if server.application_id in by_application and not server.is_archived:
            by_application[server.application_id].append(server.source_server_id)
    listed = {app.application_id: app for app in applications}
    return Members(group, tuple((listed[a], tuple(sorted(set(by_application[a])))) for a in ids))


def resolve_members(api: MgnApi, group: Group, kind: LaunchKind, where: str) -> Members:
    """The group's servers for a launch, or the one-sentence refusal: an unknown or empty application or wave, or
    more servers than MGN takes in one StartCutover or StartTest (botocore's model says how many)."""
    members = read_members(api, group)
    what = f"Cannot start the {kind.noun} of {group.named}"
    if group.wave_id:
        _refuse_an_unknown_or_empty_wave(api, members, what, where)
    else:
        _refuse_unknown_or_empty_applications(members, what, where)
    _refuse_too_many(members, kind, what)
    return members


def _refuse_an_unknown_or_empty_wave(
    api: MgnApi, members: Members, what: str, where: str, setting: str = "wave_id"
) -> None:
    """``setting`` is where the wave ID was given (the input ``wave_id``, a program's ``mgnWave``)."""
    wave = members.group.wave_id
    if not members.applications:
        if not api.list_waves([wave]):
            raise GroupNotLaunchableError(
                f"{what}: MGN in {where} does not know wave {wave}; check {setting}, the region and account_id."
            )
        raise GroupNotLaunchableError(
            f"{what}: the wave has no applications in MGN; associate applications with it (AssociateApplications) "
            f"or set {setting} to another wave."
        )
    if not members.server_ids:
        apps = ", ".join(app.application_id for app, _ in members.applications)
        raise GroupNotLaunchableError(
            f"{what}: its applications ({apps}) have no source servers that are not archived; add servers to them in "
            f"MGN (AssociateSourceServers) or set {setting} to another wave."
        )


def _refuse_unknown_or_empty_applications(members: Members, what: str, where: str) -> None:
    listed = {app.application_id for app, _ in members.applications}
    unknown = [a for a in members.group.application_ids if a not in listed]
    if unknown:
        raise GroupNotLaunchableError(
            f"{what}: MGN in {where} does not know application{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
            "check application_ids, the region and account_id."
        )
    empty = [app.application_id for app, servers in members.applications if not servers]
    if empty:
        these = "them" if len(empty) > 1 else "it"
        raise GroupNotLaunchableError(
            f"{what}: application{'s' if len(empty) > 1 else ''} {', '.join(empty)} "
            f"{'have' if len(empty) > 1 else 'has'} no source servers that are not archived; add servers to {these} "
            f"in MGN (AssociateSourceServers) or remove {these} from application_ids."
        )


def _refuse_too_many(members: Members, kind: LaunchKind, what: str) -> None:
    most = model_limits().max_servers
    count = len(members.server_ids)
    if count <= most:
        return
    operation = "StartTest" if kind is LaunchKind.TEST else "StartCutover"
    sizes = ", ".join(f"{app.application_id}: {len(servers)}" for app, servers in members.applications)
    if len(members.applications) > 1:
        split = f"split it by application: one resource per application (application_ids) ({sizes})"
    else:
        split = f"split the application in MGN into applications of at most {most} servers, one resource each"
    raise GroupNotLaunchableError(
        f"{what}: it has {count} source servers, over MGN's limit of {most} in one {operation}; {split}."
    )


@dataclass(frozen=True)
class WaveApplication:
    """One application of an MGN wave and its servers (not archived), as a program declares a launch for it."""

    application_id: str
    name: str
    source_server_ids: tuple[str, ...]


def wave_applications(api: MgnApi, wave_id: str, where: str, setting: str = "mgnWave") -> list[WaveApplication]:
    """Each application of MGN wave ``wave_id`` with its servers, for a program that declares one launch per
    application; refuses an unknown or empty wave, and an application that one job could not launch (no servers,
    or more than MGN takes in one StartCutover or StartTest), naming it and its count."""
    members = read_members(api, Group(wave_id=wave_id))
    _refuse_an_unknown_or_empty_wave(api, members, f"Cannot declare the launches of MGN wave {wave_id}", where, setting)
    most = model_limits().max_servers
    for app, servers in members.applications:
        what = f"MGN wave {wave_id}'s application {app.application_id}"
        if not servers:
            raise GroupNotLaunchableError(
                f"{what} has no source servers that are not archived; add servers to it in MGN "
                "(AssociateSourceServers) or take it out of the wave (DisassociateApplications)."
            )
        if len(servers) > most:
            raise GroupNotLaunchableError(
                f"{what} has {len(servers)} source servers, over MGN's limit of {most} in one StartCutover or "
                f"StartTest; split the application in MGN into applications of at most {most} servers."
            )
    return [WaveApplication(app.application_id, app.name, servers) for app, servers in members.applications]


def unlaunched(members: Members, recorded: Sequence[str]) -> tuple[str, ...]:
    """The group's servers now that are not among the ``recorded`` ones (added to an application since)."""
    known = set(recorded)
    return tuple(sid for sid in members.server_ids if sid not in known)
