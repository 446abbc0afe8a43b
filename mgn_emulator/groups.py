"""What applications and waves share: Create/Update/Delete/Archive/Unarchive, the association calls and the list,
written once for a :class:`GroupKind` (the rules are in :mod:`applications` and :mod:`waves`).

A kind names its noun ("application"), what it groups ("source server") and the ID field its members name it by
(``application_id``); operation names (CreateApplication), resource types (APPLICATION) and error codes
(APPLICATION_HAS_SOURCE_SERVERS, SOURCE_SERVER_IN_OTHER_APPLICATION) are made from them.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from mgn_emulator.exceptions import ConflictError, ErrorDetail, ResourceNotFoundError
from mgn_emulator.models import Group, SourceServer
from mgn_emulator.paging import paginate
from mgn_emulator.part import BackendPart
from mgn_emulator.render import Context

_ALNUM = string.ascii_lowercase + string.digits

#: Renders one group; the last argument is each application's servers, when a list has them already.
Renderer = Callable[[Any, Any, Context, dict[str, list[SourceServer]] | None], dict[str, Any]]


def new_id(rng: random.Random, prefix: str, taken: Collection[str]) -> str:
    """``prefix`` and 17 letters or digits (the model's ``app-[0-9a-zA-Z]{17}``, ``wave-...``), not in ``taken``."""
    while True:
        candidate = prefix + "".join(rng.choice(_ALNUM) for _ in range(17))
        if candidate not in taken:
            return candidate


def conflict(
    message: str, resource_id: str, resource_type: str, code: str, *, errors: Sequence[ErrorDetail] = ()
) -> ConflictError:
    """A ConflictException about one resource, with an ``errors[]`` item per resource at fault (itself if none)."""
    details = list(errors) or [ErrorDetail(code, message, resource_id, resource_type)]
    return ConflictError(message, resource_id=resource_id, resource_type=resource_type, errors=details)


def check_name(kind: str, name: str, own_id: str | None, others: Iterable[tuple[str, str]]) -> None:
    """Refuse ``name`` if another ``kind`` (application or wave) of the backend has it: ``others`` are (ID, name)."""
    for other_id, other_name in others:
        if other_name == name and other_id != own_id:
            message = f"The name {name!r} is taken: {kind} {other_id} has it"
            raise conflict(message, other_id, kind.upper(), f"{kind.upper()}_NAME_ALREADY_EXISTS")


def _code(noun: str) -> str:
    return noun.upper().replace(" ", "_")


@dataclass(frozen=True)
class GroupKind:
    """What tells applications and waves apart in the operations they share (``APPLICATIONS``, ``WAVES``)."""

    noun: str  # "application"
    member_noun: str  # "source server"
    key: str  # "application_id": the group's ID field, and the field by which a member names its group
    id_prefix: str  # "app-"
    record: Callable[..., Group]  # Application: its ID, then the fields of Group by keyword
    render: Renderer
    verb_on_leave: str  # how a refused disassociation says where the member is ("belongs to", "is in")

    @property
    def title(self) -> str:  # CreateApplication, ListWaves
        return self.noun.capitalize()

    @property
    def code(self) -> str:  # APPLICATION
        return _code(self.noun)

    @property
    def member_code(self) -> str:  # SOURCE_SERVER
        return _code(self.member_noun)


class GroupsMixin(BackendPart):
    """The operations applications and waves share, for :class:`MgnBackend`."""

    def _records(self, noun: str) -> dict[str, Any]:
        tables: dict[str, dict[str, Any]] = {
            "source server": self._servers,
            "application": self._applications,
            "wave": self._waves,
        }
        return tables[noun]

    def _group(self, kind: GroupKind, group_id: str) -> Any:
        found = self._records(kind.noun).get(group_id)
        if found is None:
            message = f"{kind.title} {group_id} does not exist"
            raise ResourceNotFoundError(message, resource_id=group_id, resource_type=kind.code)
        return found

    def _writable(self, kind: GroupKind, operation: str, group_id: str) -> Any:
        group = self._group(kind, group_id)
        if group.archived:
            message = f"{operation} refused: {kind.noun} {group_id} is archived (unarchive it first)"
            raise conflict(message, group_id, kind.code, f"{kind.code}_ARCHIVED")
        return group

    def _group_members(self, kind: GroupKind, group_id: str) -> list[tuple[str, Any]]:
        """(ID, record) of each member of the group, by ID."""
        members = self._records(kind.member_noun)
        return [(mid, m) for mid, m in sorted(members.items()) if getattr(m, kind.key) == group_id]

    def _save(self, kind: GroupKind, group_id: str, group: Any) -> Any:
        self._records(kind.noun)[group_id] = group
        self._touch()
        return group

    def _names(self, kind: GroupKind) -> list[tuple[str, str]]:
        return [(gid, g.name) for gid, g in self._records(kind.noun).items()]

    def _add_group(self, kind: GroupKind, group_id: str, name: str, members: Sequence[str], **fields: Any) -> Any:
        """Add a seed group with its members; None (nothing changed) if one with its ID or name exists.

        A listed member that is in another group already, or that does not exist, is left as it is.
        """
        with self.lock:
            self._settle()
            if group_id in self._records(kind.noun) or any(n == name for _, n in self._names(kind)):
                return None
            now = self.now()
            records = self._records(kind.member_noun)
            for mid in members:
                member = records.get(mid)
                if member is not None and getattr(member, kind.key) is None:
                    records[mid] = replace(member, **{kind.key: group_id})
            return self._save(kind, group_id, kind.record(group_id, name=name, created=now, modified=now, **fields))

    def _create(
        self, kind: GroupKind, name: str, description: str | None, tags: Mapping[str, str], ctx: Context
    ) -> dict[str, Any]:
        with self.lock:
            self._settle()
            check_name(kind.noun, name, None, self._names(kind))
            now = self.now()
            gid = new_id(self._rng, kind.id_prefix, self._records(kind.noun))
            fields = {"description": description or "", "tags": dict(tags)}
            group = kind.record(gid, name=name, created=now, modified=now, **fields)
            return kind.render(self, self._save(kind, gid, group), ctx, None)

    def _update(
        self, kind: GroupKind, group_id: str, name: str | None, description: str | None, ctx: Context
    ) -> dict[str, Any]:
        with self.lock:
            self._settle()
            group = self._writable(kind, f"Update{kind.title}", group_id)
            if name is not None:
                check_name(kind.noun, name, group_id, self._names(kind))
            changed = replace(
                group,
                name=group.name if name is None else name,
                description=group.description if description is None else description,
                modified=self.now(),
            )
            return kind.render(self, self._save(kind, group_id, changed), ctx, None)

    def _delete(self, kind: GroupKind, group_id: str) -> dict[str, Any]:
        with self.lock:
            self._settle()
            self._group(kind, group_id)
            members = self._group_members(kind, group_id)
            if members:
                raise conflict(
                    f"Delete{kind.title} refused: {kind.noun} {group_id} has {len(members)} {kind.member_noun}(s) "
                    f"({', '.join(mid for mid, _ in members)}); disassociate them first",
                    group_id,
                    kind.code,
                    f"{kind.code}_HAS_{kind.member_code}S",
                )
            del self._records(kind.noun)[group_id]
            self._touch()
            return {}

    def _set_archived(self, kind: GroupKind, group_id: str, ctx: Context, *, archived: bool) -> dict[str, Any]:
        """Archive{kind} (refused while a member is not archived) or Unarchive{kind}; a no-op if it already is."""
        with self.lock:
            self._settle()
            group = self._group(kind, group_id)
            if group.archived == archived:
                return kind.render(self, group, ctx, None)
            live = [mid for mid, m in self._group_members(kind, group_id) if not m.archived] if archived else []
            if live:
                details = [
                    ErrorDetail(
                        f"{kind.member_code}_NOT_ARCHIVED",
                        f"{kind.member_noun} {mid} of {kind.noun} {group_id} is not archived",
                        mid,
                        kind.member_code,
                    )
                    for mid in live
                ]
                message = (
                    f"Archive{kind.title} refused: {kind.noun} {group_id} has {kind.member_noun}s that are not "
                    f"archived ({', '.join(live)})"
                )
                raise conflict(message, group_id, kind.code, "", errors=details)
            changed = replace(group, archived=archived, modified=self.now())
            return kind.render(self, self._save(kind, group_id, changed), ctx, None)

    def _move(
        self, kind: GroupKind, operation: str, group_id: str, member_ids: Sequence[str], *, associate: bool
    ) -> dict[str, Any]:
        """Associate (or disassociate) all of ``member_ids`` or none. A member that is itself a group (an
        application in a wave) is read-only while archived, and records when it moved."""
        with self.lock:
            self._settle()
            group = self._writable(kind, operation, group_id)
            records = self._records(kind.member_noun)
            wanted = list(dict.fromkeys(member_ids))
            missing = [mid for mid in wanted if mid not in records]
            if missing:
                raise ResourceNotFoundError(
                    f"{operation} refused: {kind.member_noun}(s) {', '.join(missing)} do not exist",
                    resource_id=missing[0],
                    resource_type=kind.member_code,
                )
            target = group_id if associate else None
            details = []
            for mid in wanted:
                member, current = records[mid], getattr(records[mid], kind.key)
                if current not in (None, group_id):
                    verb = "is in" if associate else kind.verb_on_leave
                    code = f"{kind.member_code}_IN_OTHER_{kind.code}"
                    why = f"{verb} {kind.noun} {current}, not {group_id}"
                elif isinstance(member, Group) and member.archived and current != target:
                    code, why = f"{kind.member_code}_ARCHIVED", "is archived (unarchive it first)"
                else:
                    continue
                details.append(ErrorDetail(code, f"{kind.member_noun} {mid} {why}", mid, kind.member_code))
            if details:
                message = f"{operation} refused: " + "; ".join(d.message for d in details)
                raise conflict(message, group_id, kind.code, "", errors=details)
            now = self.now()
            moved = [mid for mid in wanted if getattr(records[mid], kind.key) != target]
            for mid in moved:
                stamp = {"modified": now} if isinstance(records[mid], Group) else {}
                records[mid] = replace(records[mid], **{kind.key: target}, **stamp)
            if moved:
                self._save(kind, group_id, replace(group, modified=now))
            return {}

    def _list(
        self,
        kind: GroupKind,
        filters: Mapping[str, Any],
        max_results: int | None,
        token: str | None,
        ctx: Context,
        keep: Callable[[Any], bool] = lambda group: True,
    ) -> dict[str, Any]:
        """List{kind}s by the ``{kind}IDs`` and ``isArchived`` filters (and ``keep``), in creation order."""
        with self.lock:
            self._settle()
            ids = set(filters.get(f"{kind.noun}IDs") or [])
            archived = filters.get("isArchived")
            found = [
                g
                for gid, g in self._records(kind.noun).items()
                if (not ids or gid in ids) and (archived is None or g.archived == archived) and keep(g)
            ]
            page, next_token = paginate(
                found, max_results or self.page_size, token, operation=f"List{kind.title}s", params={"filters": filters}
            )
            members = self._members_by_application()
            items = [kind.render(self, g, ctx, members) for g in page]
            return {"items": items, **({"nextToken": next_token} if next_token else {})}

    def _members_by_application(self) -> dict[str, list[SourceServer]]:
        """Each application's servers, by server ID (one pass over the servers, for lists)."""
        found: dict[str, list[SourceServer]] = {}
        for server in sorted(self._servers.values(), key=lambda s: s.server_id):
            if server.application_id is not None:
                found.setdefault(server.application_id, []).append(server)
        return found
