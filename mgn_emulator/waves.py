"""Waves: Create/Update/Delete/Archive/UnarchiveWave, Associate/DisassociateApplications and ListWaves. An
application belongs to at most one wave (``Application.wave_id``).

The rules mirror the applications' (see :mod:`applications` and docs/emulator.md): wave names are unique; an
archived wave is read-only (UpdateWave and the association calls are refused), and so is an archived
application (it cannot join or leave a wave); ArchiveWave is refused while any of its applications is not
archived; DeleteWave is refused while the wave has applications; an application in another wave cannot be
associated or disassociated; one already where the call puts it is left as it is; an unknown application ID is
ResourceNotFoundException; a call changes all of its applications or none.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from mgn_emulator import render
from mgn_emulator.applications import check_name, conflict, new_id
from mgn_emulator.exceptions import ErrorDetail, ResourceNotFoundError
from mgn_emulator.models import Application, SourceServer, Wave
from mgn_emulator.paging import paginate
from mgn_emulator.render import Context


class WavesMixin:
    """The wave operations of :class:`MgnBackend` (which provides the state, the lock and the clock)."""

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

    def _members_by_application(self) -> dict[str, list[SourceServer]]:
        raise NotImplementedError

    # ---- helpers ----------------------------------------------------------------------------------
    def _wave(self, wave_id: str) -> Wave:
        found = self._waves.get(wave_id)
        if found is None:
            raise ResourceNotFoundError(f"Wave {wave_id} does not exist", resource_id=wave_id, resource_type="WAVE")
        return found

    def _wave_applications(self, wave_id: str) -> list[Application]:
        return sorted(
            (a for a in self._applications.values() if a.wave_id == wave_id), key=lambda a: a.application_id
        )

    def _render_wave(
        self, wave: Wave, ctx: Context, members: dict[str, list[SourceServer]] | None = None
    ) -> dict[str, Any]:
        """The wave; ``members``: each application's servers, when a list has them already."""
        members = self._members_by_application() if members is None else members
        apps = self._wave_applications(wave.wave_id)
        return render.wave(wave, [(a, members.get(a.application_id, [])) for a in apps], ctx)

    def _writable_wave(self, operation: str, wave_id: str) -> Wave:
        wave = self._wave(wave_id)
        if wave.archived:
            message = f"{operation} refused: wave {wave_id} is archived (unarchive it first)"
            raise conflict(message, wave_id, "WAVE", "WAVE_ARCHIVED")
        return wave

    def _save_wave(self, wave: Wave) -> Wave:
        self._waves[wave.wave_id] = wave
        self._touch()
        return wave

    def _wave_names(self) -> list[tuple[str, str]]:
        return [(w.wave_id, w.name) for w in self._waves.values()]

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
        with self.lock:
            self._settle()
            if wave_id in self._waves or any(n == name for _, n in self._wave_names()):
                return None
            now = self.now()
            for app_id in applications:
                app = self._applications.get(app_id)
                if app is not None and app.wave_id is None:
                    self._applications[app_id] = replace(app, wave_id=wave_id)
            return self._save_wave(Wave(wave_id, name, now, now, description, archived, dict(tags or {})))

    # ---- operations -------------------------------------------------------------------------------
    def create_wave(self, name: str, description: str | None, tags: Mapping[str, str], ctx: Context) -> dict[str, Any]:
        with self.lock:
            self._settle()
            check_name("wave", name, None, self._wave_names())
            now = self.now()
            wave = Wave(new_id(self._rng, "wave-", self._waves), name, now, now, description or "", tags=dict(tags))
            return self._render_wave(self._save_wave(wave), ctx)

    def update_wave(self, wave_id: str, name: str | None, description: str | None, ctx: Context) -> dict[str, Any]:
        with self.lock:
            self._settle()
            wave = self._writable_wave("UpdateWave", wave_id)
            if name is not None:
                check_name("wave", name, wave_id, self._wave_names())
            changed = replace(
                wave,
                name=wave.name if name is None else name,
                description=wave.description if description is None else description,
                modified=self.now(),
            )
            return self._render_wave(self._save_wave(changed), ctx)

    def delete_wave(self, wave_id: str) -> dict[str, Any]:
        with self.lock:
            self._settle()
            self._wave(wave_id)
            apps = self._wave_applications(wave_id)
            if apps:
                ids = ", ".join(a.application_id for a in apps)
                raise conflict(
                    f"DeleteWave refused: wave {wave_id} has {len(apps)} application(s) ({ids}); "
                    "disassociate them first",
                    wave_id,
                    "WAVE",
                    "WAVE_HAS_APPLICATIONS",
                )
            del self._waves[wave_id]
            self._touch()
            return {}

    def archive_wave(self, wave_id: str, ctx: Context) -> dict[str, Any]:
        with self.lock:
            self._settle()
            wave = self._wave(wave_id)
            if wave.archived:
                return self._render_wave(wave, ctx)
            live = [a for a in self._wave_applications(wave_id) if not a.archived]
            if live:
                details = [
                    ErrorDetail(
                        "APPLICATION_NOT_ARCHIVED",
                        f"application {a.application_id} of wave {wave_id} is not archived",
                        a.application_id,
                        "APPLICATION",
                    )
                    for a in live
                ]
                message = (
                    f"ArchiveWave refused: wave {wave_id} has applications that are not archived "
                    f"({', '.join(a.application_id for a in live)})"
                )
                raise conflict(message, wave_id, "WAVE", "", errors=details)
            return self._render_wave(self._save_wave(replace(wave, archived=True, modified=self.now())), ctx)

    def unarchive_wave(self, wave_id: str, ctx: Context) -> dict[str, Any]:
        with self.lock:
            self._settle()
            wave = self._wave(wave_id)
            if not wave.archived:
                return self._render_wave(wave, ctx)
            return self._render_wave(self._save_wave(replace(wave, archived=False, modified=self.now())), ctx)

    def associate_applications(self, wave_id: str, application_ids: Sequence[str]) -> dict[str, Any]:
        return self._move_applications("AssociateApplications", wave_id, application_ids, associate=True)

    def disassociate_applications(self, wave_id: str, application_ids: Sequence[str]) -> dict[str, Any]:
        return self._move_applications("DisassociateApplications", wave_id, application_ids, associate=False)

    def _move_applications(
        self, operation: str, wave_id: str, application_ids: Sequence[str], *, associate: bool
    ) -> dict[str, Any]:
        with self.lock:
            self._settle()
            wave = self._writable_wave(operation, wave_id)
            wanted = list(dict.fromkeys(application_ids))
            missing = [a for a in wanted if a not in self._applications]
            if missing:
                raise ResourceNotFoundError(
                    f"{operation} refused: application(s) {', '.join(missing)} do not exist",
                    resource_id=missing[0],
                    resource_type="APPLICATION",
                )
            target = wave_id if associate else None
            details = []
            for app in (self._applications[a] for a in wanted):
                if app.wave_id not in (None, wave_id):
                    code, why = "APPLICATION_IN_OTHER_WAVE", f"is in wave {app.wave_id}, not {wave_id}"
                elif app.archived and app.wave_id != target:
                    code, why = "APPLICATION_ARCHIVED", "is archived (unarchive it first)"
                else:
                    continue
                message = f"application {app.application_id} {why}"
                details.append(ErrorDetail(code, message, app.application_id, "APPLICATION"))
            if details:
                message = f"{operation} refused: " + "; ".join(d.message for d in details)
                raise conflict(message, wave_id, "WAVE", "", errors=details)
            now = self.now()
            moved = [a for a in wanted if self._applications[a].wave_id != target]
            for app_id in moved:
                self._applications[app_id] = replace(self._applications[app_id], wave_id=target, modified=now)
            if moved:
                self._save_wave(replace(wave, modified=now))
            return {}

    def list_waves(
        self, filters: Mapping[str, Any], max_results: int | None, token: str | None, ctx: Context
    ) -> dict[str, Any]:
        with self.lock:
            self._settle()
            ids = set(filters.get("waveIDs") or [])
            archived = filters.get("isArchived")
            found = [
                w
                for w in self._waves.values()  # in creation order
                if (not ids or w.wave_id in ids) and (archived is None or w.archived == archived)
            ]
            page, next_token = paginate(
                found, max_results or self.page_size, token, operation="ListWaves", params={"filters": filters}
            )
            members = self._members_by_application()
            items = [self._render_wave(w, ctx, members) for w in page]
            return {"items": items, **({"nextToken": next_token} if next_token else {})}
