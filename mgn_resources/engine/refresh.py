"""Refresh: each recorded server's launch as MGN and EC2 tell it now, with one warning for each server that was
launched and no longer is, or that was launched again outside the stack."""

from __future__ import annotations

from collections.abc import Sequence

from ..aws.shapes import LaunchKind, LifeCycleState
from .server_truth import ServerTruth
from .types import Progress, Refreshed, ServerLaunch, ServerState


def refresh_launches(
    truth: ServerTruth, progress: Progress, kind: LaunchKind, recorded: Sequence[ServerLaunch]
) -> Refreshed:
    survey = truth.survey(kind, [s.source_server_id for s in recorded])
    for was in recorded:
        message = _drift(kind, was, survey.launches[was.source_server_id])
        if message:
            progress.warn(message)
    launches = tuple(survey.launches[s.source_server_id] for s in recorded)
    live = [survey.servers[s.source_server_id] for s in launches if s.state is ServerState.LAUNCHED]
    if kind is LaunchKind.CUTOVER:
        done = bool(live) and all(server.last_cutover.finalized is not None for server in live)
    else:  # a test launch's servers cut over since (SUPERSEDED) are past READY_FOR_CUTOVER
        done = any(s.state.done for s in launches) and all(
            server.state == LifeCycleState.READY_FOR_CUTOVER.value for server in live
        )
    return Refreshed(launches, follow_up_done=done)


def _drift(kind: LaunchKind, was: ServerLaunch, now: ServerLaunch) -> str:
    """The warning for one server whose launch changed outside the stack, or "" when nothing to report."""
    sid = was.source_server_id
    if was.state.done and now.state.done and now.job_id != was.job_id:
        return (
            f"{sid} was launched again outside this stack, by {kind.noun} job {now.job_id}"
            f"{' (instance ' + now.instance_id + ')' if now.instance_id else ''}; the stack now tracks that launch."
        )
    if not was.state.done or now.state.done:
        return ""
    again = f"the next `pulumi up` launches {sid} again"
    match now.state:
        case ServerState.REVERTED:
            return f"{sid} was reverted in MGN after job {now.job_id} launched it; {again}."
        case ServerState.INSTANCE_GONE:
            where = f"instance {was.instance_id or now.instance_id or '(unknown)'}"
            return f"{sid}'s {kind.noun} {where} is {now.instance_state or 'gone'}; {again}."
        case ServerState.MISSING:
            return f"MGN no longer lists {sid}; remove it from source_server_ids."
        case ServerState.IN_PROGRESS:
            return f"{sid} is being launched again outside this stack, by job {now.job_id}; the next `pulumi up` waits."
        case _:
            return f"{sid}'s last {kind.noun} (job {now.job_id}) is {now.state.value}; {again}."

