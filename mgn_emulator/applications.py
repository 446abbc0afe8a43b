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

from collections.abc import Mapping, Sequence
from typing import Any

from mgn_emulator import render
from mgn_emulator.groups import GroupKind, GroupsMixin
from mgn_emulator.models import Application, SourceServer
from mgn_emulator.render import Context


class ApplicationsMixin(GroupsMixin):
    """The application operations of :class:`MgnBackend` (which provides the state, the lock and the clock)."""

    def _render_application(
        self, app: Application, ctx: Context, members: dict[str, list[SourceServer]] | None = None
    ) -> dict[str, Any]:
        """The application; ``members``: each application's servers, when a list has them already."""
        members = self._members_by_application() if members is None else members
        return render.application(app, members.get(app.application_id, []), ctx)

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
        fields = {"description": description, "archived": archived, "tags": dict(tags or {})}
        return self._add_group(APPLICATIONS, application_id, name, servers, **fields)

    # ---- operations -------------------------------------------------------------------------------
    def create_application(
        self, name: str, description: str | None, tags: Mapping[str, str], ctx: Context
    ) -> dict[str, Any]:
        return self._create(APPLICATIONS, name, description, tags, ctx)

    def update_application(
        self, application_id: str, name: str | None, description: str | None, ctx: Context
    ) -> dict[str, Any]:
        return self._update(APPLICATIONS, application_id, name, description, ctx)

    def delete_application(self, application_id: str) -> dict[str, Any]:
        return self._delete(APPLICATIONS, application_id)

    def archive_application(self, application_id: str, ctx: Context) -> dict[str, Any]:
        return self._set_archived(APPLICATIONS, application_id, ctx, archived=True)

    def unarchive_application(self, application_id: str, ctx: Context) -> dict[str, Any]:
        return self._set_archived(APPLICATIONS, application_id, ctx, archived=False)

    def associate_source_servers(self, application_id: str, server_ids: Sequence[str]) -> dict[str, Any]:
        return self._move(APPLICATIONS, "AssociateSourceServers", application_id, server_ids, associate=True)

    def disassociate_source_servers(self, application_id: str, server_ids: Sequence[str]) -> dict[str, Any]:
        return self._move(APPLICATIONS, "DisassociateSourceServers", application_id, server_ids, associate=False)

    def list_applications(
        self, filters: Mapping[str, Any], max_results: int | None, token: str | None, ctx: Context
    ) -> dict[str, Any]:
        waves = set(filters.get("waveIDs") or [])
        return self._list(APPLICATIONS, filters, max_results, token, ctx, lambda app: not waves or app.wave_id in waves)


APPLICATIONS = GroupKind(
    noun="application",
    member_noun="source server",
    key="application_id",
    id_prefix="app-",
    record=Application,
    render=ApplicationsMixin._render_application,
    verb_on_leave="belongs to",
)
