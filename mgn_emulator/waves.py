"""Waves: Create/Update/Delete/Archive/UnarchiveWave, Associate/DisassociateApplications and ListWaves. An
application belongs to at most one wave (``Application.wave_id``).

The rules mirror the applications' (see :mod:`applications` and docs/emulator.md; both are written once in
:mod:`groups`): wave names are unique; an archived wave is read-only (UpdateWave and the association calls are
refused), and so is an archived application (it cannot join or leave a wave); ArchiveWave is refused while any
of its applications is not archived; DeleteWave is refused while the wave has applications; an application in
another wave cannot be associated or disassociated; one already where the call puts it is left as it is; an
unknown application ID is ResourceNotFoundException; a call changes all of its applications or none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mgn_emulator import render
from mgn_emulator.groups import GroupKind, GroupsMixin
from mgn_emulator.models import SourceServer, Wave
from mgn_emulator.render import Context


class WavesMixin(GroupsMixin):
    """The wave operations of :class:`MgnBackend` (which provides the state, the lock and the clock)."""

    def _render_wave(
        self, wave: Wave, ctx: Context, members: dict[str, list[SourceServer]] | None = None
    ) -> dict[str, Any]:
        """The wave; ``members``: each application's servers, when a list has them already."""
        members = self._members_by_application() if members is None else members
        apps = [app for _, app in self._group_members(WAVES, wave.wave_id)]
        return render.wave(wave, [(a, members.get(a.application_id, [])) for a in apps], ctx)

    # ---- seed -------------------------------------------------------------------------------------
    def add_wave(
        self,
        wave_id: str,
        name: str,
        *,
        description: str = "",
        applications: Sequence[str] = (),
        tags: Mapping[str, str] | None = None,
        archived: bool = False,
    ) -> Wave | None:
        """Add a seed wave with its applications; None (nothing changed) if one with its ID or name exists.

        A listed application that is in another wave already, or that does not exist, is left as it is.
        """
        fields = {"description": description, "archived": archived, "tags": dict(tags or {})}
        return self._add_group(WAVES, wave_id, name, applications, **fields)

    # ---- operations -------------------------------------------------------------------------------
    def create_wave(self, name: str, description: str | None, tags: Mapping[str, str], ctx: Context) -> dict[str, Any]:
        return self._create(WAVES, name, description, tags, ctx)

    def update_wave(self, wave_id: str, name: str | None, description: str | None, ctx: Context) -> dict[str, Any]:
        return self._update(WAVES, wave_id, name, description, ctx)

    def delete_wave(self, wave_id: str) -> dict[str, Any]:
        return self._delete(WAVES, wave_id)

    def archive_wave(self, wave_id: str, ctx: Context) -> dict[str, Any]:
        return self._set_archived(WAVES, wave_id, ctx, archived=True)

    def unarchive_wave(self, wave_id: str, ctx: Context) -> dict[str, Any]:
        return self._set_archived(WAVES, wave_id, ctx, archived=False)

    def associate_applications(self, wave_id: str, application_ids: Sequence[str]) -> dict[str, Any]:
        return self._move(WAVES, "AssociateApplications", wave_id, application_ids, associate=True)

    def disassociate_applications(self, wave_id: str, application_ids: Sequence[str]) -> dict[str, Any]:
        return self._move(WAVES, "DisassociateApplications", wave_id, application_ids, associate=False)

    def list_waves(
        self, filters: Mapping[str, Any], max_results: int | None, token: str | None, ctx: Context
    ) -> dict[str, Any]:
        return self._list(WAVES, filters, max_results, token, ctx)


WAVES = GroupKind(
    noun="wave",
    member_noun="application",
    key="wave_id",
    id_prefix="wave-",
    record=Wave,
    render=WavesMixin._render_wave,
    verb_on_leave="is in",
)
