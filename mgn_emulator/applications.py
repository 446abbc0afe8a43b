"""Applications: Create/Update/Delete/Archive/UnarchiveApplication, Associate/DisassociateSourceServers and
ListApplications. A source server belongs to at most one application (``SourceServer.application_id``).

The model gives shapes, limits (1 to 50 IDs per association call) and the errors each operation may answer; it
is silent on the rules behind its ``ConflictException``. The emulator's reading (docs/emulator.md, "Applications
and waves") is the strict one wherever MGN's documentation says nothing, so a client that works here is not
refused by MGN for a rule the emulator skipped:

- names are unique among an account's applications in a region (CreateApplication's and UpdateApplication's
  ConflictException);
- an archived application is read-only: UpdateApplication, AssociateSourceServers and DisassociateSourceServers
  are refused until it is unarchived;
- ArchiveApplication is refused while any of its servers is not archived (the only conflict the model leaves
  it: UnarchiveApplication, which lists none, has no such rule); archiving an archived one changes nothing;
- DeleteApplication is refused while the application has servers;
- associating a server that is in another application is refused (it must be disassociated first), and so is
  disassociating a server of another application; a server already where the call puts it is left as it is, so
  a retried call succeeds. An unknown server ID is ResourceNotFoundException. A call changes all of its servers
  or none.
"""

from __future__ import annotations

import random
import string
import threading
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from mgn_emulator import render
from mgn_emulator.exceptions import ConflictError, ErrorDetail, ResourceNotFoundError
from mgn_emulator.models import Application, SourceServer, Wave
from mgn_emulator.paging import paginate
from mgn_emulator.render import Context

_ALNUM = string.ascii_lowercase + string.digits


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


class ApplicationsMixin:
    """The application operations of :class:`MgnBackend` (which provides the state, the lock and the clock)."""

    lock: threading.RLock
    page_size: int
    _rng: random.Random
    _servers: dict[str, SourceServer]
    _applications: dict[str, Application]
    _waves: dict[str, Wave]

    def now(self) -> datetime:
        raise NotImplementedError

    def _settle(self) -> None:
        raise NotImplementedError

    def _touch(self) -> None:
        raise NotImplementedError

    # ---- helpers (waves use them too) ------------------------------------------------------------
    def _application(self, application_id: str) -> Application:
        found = self._applications.get(application_id)
        if found is None:
            raise ResourceNotFoundError(
                f"Application {application_id} does not exist", resource_id=application_id, resource_type="APPLICATION"
            )
        return found

    def _members(self, application_id: str) -> list[SourceServer]:
        return self._members_by_application().get(application_id, [])

    def _members_by_application(self) -> dict[str, list[SourceServer]]:
        """Each application's servers, by server ID (one pass over the servers, for lists)."""
        found: dict[str, list[SourceServer]] = {}
        for server in sorted(self._servers.values(), key=lambda s: s.server_id):
            if server.application_id is not None:
                found.setdefault(server.application_id, []).append(server)
        return found

    def _render_application(self, app: Application, ctx: Context) -> dict[str, Any]:
        return render.application(app, self._members(app.application_id), ctx)

    def _writable_application(self, operation: str, application_id: str) -> Application:
        app = self._application(application_id)
        if app.archived:
            raise conflict(
                f"{operation} refused: application {application_id} is archived (unarchive it first)",
                application_id,
                "APPLICATION",
                "APPLICATION_ARCHIVED",
            )
        return app

    def _save_application(self, app: Application) -> Application:
        self._applications[app.application_id] = app
        self._touch()
        return app

    def _names(self) -> list[tuple[str, str]]:
        return [(a.application_id, a.name) for a in self._applications.values()]

    # ---- seed -------------------------------------------------------------------------------------
    def add_application(
        self,
        application_id: str,
        name: str,
        *,
        description: str = "",
        servers: Sequence[str] = (),
        tags: Mapping[str, str] | None = None,
        archived: bool = False,
    ) -> Application | None:
        """Add a seed application with its servers; None (nothing changed) if one with its ID or name exists.

        A listed server that is in another application already stays there (a state file's association wins).
        """
        with self.lock:
            self._settle()
            if application_id in self._applications or any(n == name for _, n in self._names()):
                return None
            now = self.now()
            app = Application(application_id, name, now, now, description, archived, dict(tags or {}))
            for sid in servers:
                server = self._servers.get(sid)
                if server is not None and server.application_id is None:
                    self._servers[sid] = replace(server, application_id=application_id)
            return self._save_application(app)

    # ---- operations -------------------------------------------------------------------------------
    def create_application(
        self, name: str, description: str | None, tags: Mapping[str, str], ctx: Context
    ) -> dict[str, Any]:
        with self.lock:
            self._settle()
            check_name("application", name, None, self._names())
            now = self.now()
            app_id = new_id(self._rng, "app-", self._applications)
            app = Application(app_id, name, now, now, description or "", tags=dict(tags))
            return self._render_application(self._save_application(app), ctx)

    def update_application(
        self, application_id: str, name: str | None, description: str | None, ctx: Context
    ) -> dict[str, Any]:
        with self.lock:
            self._settle()
            app = self._writable_application("UpdateApplication", application_id)
            if name is not None:
                check_name("application", name, application_id, self._names())
            changed = replace(
                app,
                name=app.name if name is None else name,
                description=app.description if description is None else description,
                modified=self.now(),
            )
            return self._render_application(self._save_application(changed), ctx)

    def delete_application(self, application_id: str) -> dict[str, Any]:
        with self.lock:
            self._settle()
            self._application(application_id)
            members = self._members(application_id)
            if members:
                ids = ", ".join(s.server_id for s in members)
                raise conflict(
                    f"DeleteApplication refused: application {application_id} has {len(members)} source server(s) "
                    f"({ids}); disassociate them first",
                    application_id,
                    "APPLICATION",
                    "APPLICATION_HAS_SOURCE_SERVERS",
                )
            del self._applications[application_id]
            self._touch()
            return {}

    def archive_application(self, application_id: str, ctx: Context) -> dict[str, Any]:
        with self.lock:
            self._settle()
            app = self._application(application_id)
            if app.archived:
                return self._render_application(app, ctx)
            live = [s for s in self._members(application_id) if not s.archived]
            if live:
                details = [
                    ErrorDetail(
                        "SOURCE_SERVER_NOT_ARCHIVED",
                        f"source server {s.server_id} of application {application_id} is not archived",
                        s.server_id,
                        "SOURCE_SERVER",
                    )
                    for s in live
                ]
                message = (
                    f"ArchiveApplication refused: application {application_id} has source servers that are not "
                    f"archived ({', '.join(s.server_id for s in live)})"
                )
                raise conflict(message, application_id, "APPLICATION", "", errors=details)
            changed = replace(app, archived=True, modified=self.now())
            return self._render_application(self._save_application(changed), ctx)

    def unarchive_application(self, application_id: str, ctx: Context) -> dict[str, Any]:
        with self.lock:
            self._settle()
            app = self._application(application_id)
            if not app.archived:
                return self._render_application(app, ctx)
            changed = replace(app, archived=False, modified=self.now())
            return self._render_application(self._save_application(changed), ctx)

    def associate_source_servers(self, application_id: str, server_ids: Sequence[str]) -> dict[str, Any]:
        return self._move_servers("AssociateSourceServers", application_id, server_ids, associate=True)

    def disassociate_source_servers(self, application_id: str, server_ids: Sequence[str]) -> dict[str, Any]:
        return self._move_servers("DisassociateSourceServers", application_id, server_ids, associate=False)

    def _move_servers(
        self, operation: str, application_id: str, server_ids: Sequence[str], *, associate: bool
    ) -> dict[str, Any]:
        with self.lock:
            self._settle()
            app = self._writable_application(operation, application_id)
            wanted = list(dict.fromkeys(server_ids))
            missing = [sid for sid in wanted if sid not in self._servers]
            if missing:
                raise ResourceNotFoundError(
                    f"{operation} refused: source server(s) {', '.join(missing)} do not exist",
                    resource_id=missing[0],
                    resource_type="SOURCE_SERVER",
                )
            others = [
                self._servers[sid]
                for sid in wanted
                if self._servers[sid].application_id not in (None, application_id)
            ]
            if others:
                verb = "is in" if associate else "belongs to"
                details = [
                    ErrorDetail(
                        "SOURCE_SERVER_IN_OTHER_APPLICATION",
                        f"source server {s.server_id} {verb} application {s.application_id}, not {application_id}",
                        s.server_id,
                        "SOURCE_SERVER",
                    )
                    for s in others
                ]
                message = f"{operation} refused: " + "; ".join(d.message for d in details)
                raise conflict(message, application_id, "APPLICATION", "", errors=details)
            target = application_id if associate else None
            moved = [sid for sid in wanted if self._servers[sid].application_id != target]
            for sid in moved:
                self._servers[sid] = replace(self._servers[sid], application_id=target)
            if moved:
                self._save_application(replace(app, modified=self.now()))
            return {}

    def list_applications(
        self, filters: Mapping[str, Any], max_results: int | None, token: str | None, ctx: Context
    ) -> dict[str, Any]:
        with self.lock:
            self._settle()
            ids = set(filters.get("applicationIDs") or [])
            waves = set(filters.get("waveIDs") or [])
            archived = filters.get("isArchived")
            found = [
                a
                for a in self._applications.values()  # in creation order
                if (not ids or a.application_id in ids)
                and (not waves or a.wave_id in waves)
                and (archived is None or a.archived == archived)
            ]
            page, next_token = paginate(
                found, max_results or self.page_size, token, operation="ListApplications", params={"filters": filters}
            )
            members = self._members_by_application()
            items = [render.application(a, members.get(a.application_id, []), ctx) for a in page]
            return {"items": items, **({"nextToken": next_token} if next_token else {})}
