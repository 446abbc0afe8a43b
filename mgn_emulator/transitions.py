"""FinalizeCutover, ChangeServerLifeCycleState ("revert") and MarkAsArchived: lifecycle changes outside jobs."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from mgn_emulator import render
from mgn_emulator.exceptions import ConflictError, ErrorDetail, ResourceNotFoundError
from mgn_emulator.models import (
    ARCHIVABLE_STATES,
    LAUNCHABLE_STATES,
    ActionStatus,
    Job,
    LifeCycleState,
    SourceServer,
)
from mgn_emulator.part import BackendPart
from mgn_emulator.render import Context


class TransitionsMixin(BackendPart):
    """The lifecycle operations of :class:`MgnBackend` (which provides the state, the lock and the clock)."""

    def _existing(self, server_id: str) -> SourceServer:
        server = self._servers.get(server_id)
        if server is None:
            raise ResourceNotFoundError(
                f"Source server {server_id} does not exist", resource_id=server_id, resource_type="SOURCE_SERVER"
            )
        return server

    def _active_job(self, server_id: str) -> Job | None:
        return next((j for j in self._jobs.values() if not j.settled and j.involves(server_id)), None)

    def _refuse(self, operation: str, server: SourceServer, why: str) -> ConflictError:
        message = f"{operation} refused for source server {server.server_id} in state {server.state.value}: {why}"
        detail = ErrorDetail("SOURCE_SERVER_STATE", message, server.server_id)
        return ConflictError(message, resource_id=server.server_id, resource_type="SOURCE_SERVER", errors=[detail])

    def finalize_cutover(self, server_id: str, ctx: Context) -> dict[str, Any]:
        with self.lock:
            self._settle()
            server = self._existing(server_id)
            self._check_finalizable("FinalizeCutover", server)
            now = self.now()
            server = replace(
                server,
                state=LifeCycleState.CUTOVER,
                replication_state="DISCONNECTED",
                last_cutover=replace(server.last_cutover, finalized=now),
            )
            self._servers[server_id] = server
            self._touch()
            return render.server(server, ctx)

    def _check_finalizable(self, operation: str, server: SourceServer) -> None:
        job = self._active_job(server.server_id)
        if job is not None:
            raise self._refuse(operation, server, f"job {job.job_id} is still active")
        if server.state is not LifeCycleState.CUTTING_OVER:
            raise self._refuse(operation, server, "only a server in CUTTING_OVER can be finalized")
        launched = server.launched_instance
        initiated = server.last_cutover.initiated
        if launched is None or initiated is None or launched.job_id != initiated.job_id:
            raise self._refuse(operation, server, "its last cutover launched no instance")
        launch_job = self._jobs.get(launched.job_id)
        if launch_job is not None:
            now = self.now()
            for part in launch_job.servers:
                for action in part.actions if part.server_id == server.server_id else ():
                    if action.must_succeed and launch_job.action_status(action, now) is ActionStatus.FAILED:
                        raise self._refuse(operation, server, f"post-launch action {action.name} failed")

    def change_server_life_cycle_state(self, server_id: str, target: str, ctx: Context) -> dict[str, Any]:
        operation = "ChangeServerLifeCycleState"
        with self.lock:
            self._settle()
            server = self._existing(server_id)
            if target == LifeCycleState.CUTOVER.value:
                self._check_finalizable(operation, server)
                return self.finalize_cutover(server_id, ctx)
            job = self._active_job(server_id)
            if job is not None:
                raise self._refuse(operation, server, f"job {job.job_id} is still active")
            if server.archived or server.state not in LAUNCHABLE_STATES:
                raise self._refuse(operation, server, "the server is not launchable")
            now = self.now()
            wanted = LifeCycleState(target)
            if server.state is LifeCycleState.CUTTING_OVER and wanted is LifeCycleState.READY_FOR_CUTOVER:
                server = replace(server, last_cutover=replace(server.last_cutover, reverted=now))
            elif server.state is LifeCycleState.TESTING and wanted is LifeCycleState.READY_FOR_TEST:
                server = replace(server, last_test=replace(server.last_test, reverted=now))
            server = replace(server, state=wanted)
            self._servers[server_id] = server
            self._touch()
            return render.server(server, ctx)

    def mark_as_archived(self, server_id: str, ctx: Context) -> dict[str, Any]:
        with self.lock:
            self._settle()
            server = self._existing(server_id)
            if server.state not in ARCHIVABLE_STATES:
                raise self._refuse("MarkAsArchived", server, "only DISCONNECTED or CUTOVER servers can be archived")
            server = replace(server, archived=True)
            self._servers[server_id] = server
            self._touch()
            return render.server(server, ctx)
