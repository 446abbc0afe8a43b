"""Cutover's and TestLaunch's create, read, update and delete: props in, outputs out, each server's launch the unit.

Create and update launch only the servers with no live launch, removing a server applies ``on_delete`` to it alone,
and read reports each server's launch as MGN and EC2 tell it now (None: none of its servers is launched any more).
Create, update and delete take the face's ``cancellation`` (the plugin's Cancel): once cancelled, their waits stop and
nothing more starts, with one sentence naming the job, which goes on in MGN for the next ``pulumi up`` to adopt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import partial
from typing import Any

from ..aws import Connection, Job, LaunchKind
from ..clock import Cancellation
from ..engine import Progress, ServerLaunch, ServerState
from ..errors import JobNotFoundError
from .common import user_errors, without_provider
from .effective import StackSettings
from .groups import UNLAUNCHED, declared, resolved, unlaunched_now
from .outputs import FOLLOW_UP_DONE, FOLLOW_UP_INPUT, job_arns, job_outputs, recorded_launches, server_outputs
from .session import session_for_inputs, session_for_state, session_for_update
from .translate import SCHEMAS, launch_spec, run_teardown


def create(
    kind: LaunchKind,
    props: Mapping[str, Any],
    stack: StackSettings,
    progress: Progress,
    cancellation: Cancellation | None = None,
) -> tuple[str, dict[str, Any]]:
    """The resource ID (the job create started or adopted) and the outputs."""
    inputs = without_provider(props)
    session = user_errors(lambda: session_for_inputs(inputs, stack, progress, cancellation))
    inputs = user_errors(lambda: resolved(session, kind, inputs))  # application_ids or wave_id: their servers now
    result = user_errors(lambda: session.engine.launch(launch_spec(kind, inputs)))
    done = _follow_up(kind, result.finalized, result.marked_ready_for_cutover)
    return result.job.job_id, _outputs(kind, inputs, result.job, result.launches, done, session.connection)


def preflight(
    kind: LaunchKind,
    props: Mapping[str, Any],
    stack: StackSettings,
    progress: Progress,
    state: Mapping[str, Any] | None = None,
) -> list[str]:
    """At preview, read-only: the servers a create (``state`` None) or an update of ``state`` to ``props`` would
    launch; raises the error the launch would raise first (an unknown, archived or not-ready server, replication
    stalled or lagging; an unknown, empty or oversized application or wave at create), so a preview fails as the up
    would. The last-test gate (``require_successful_test``) is left to the launch: a TestLaunch in the same update
    runs first, and a preview cannot see its outcome."""
    inputs = without_provider(props) if state is None else declared(without_provider(state), without_provider(props))
    session = user_errors(lambda: session_for_inputs(inputs, stack, progress))
    inputs = user_errors(lambda: resolved(session, kind, inputs))
    spec = replace(launch_spec(kind, inputs), require_successful_test=False)
    plan = user_errors(lambda: session.engine.preflight(spec))
    return list(plan.to_launch)


def read(kind: LaunchKind, props: Mapping[str, Any], stack: StackSettings, progress: Progress) -> dict[str, Any] | None:
    """The outputs as MGN and EC2 tell them now; None when none of the resource's servers is launched any more."""
    state = without_provider(props)
    recorded = recorded_launches(state)
    if not recorded:
        return None
    session = user_errors(lambda: session_for_state(state, stack, progress))
    refreshed = user_errors(lambda: session.engine.refresh(kind, recorded))
    if not refreshed.any_launched:
        return None
    added = user_errors(lambda: unlaunched_now(session, kind, state, [s.source_server_id for s in recorded]))
    return {
        **state,
        **server_outputs(refreshed.launches),
        FOLLOW_UP_DONE[kind]: refreshed.follow_up_done,
        UNLAUNCHED: added,
    }


def import_job(
    kind: LaunchKind, job_id: str, props: Mapping[str, Any], stack: StackSettings, progress: Progress
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``pulumi import`` of a job: its servers and tags become the inputs (with ``props``, the connection inputs the
    face knows, and the schema's defaults), each server's launch is read as a refresh reads it, nothing launches.
    Returns the inputs and the outputs."""
    given = without_provider(props)
    session = user_errors(lambda: session_for_inputs(given, stack, progress))
    job = user_errors(lambda: session.api.describe_jobs([job_id])).get(job_id)
    if job is None:
        raise JobNotFoundError(
            f"Job {job_id} is not listed by MGN in {session.connection.region}; check the job ID, the region and "
            "account_id, then import again."
        )
    if job.initiated_by != kind.initiated_by:
        raise JobNotFoundError(
            f"Job {job_id} was started by {job.initiated_by or 'no launch'}, not {kind.initiated_by}: it is not a "
            f"{kind.noun} job; import it as the resource of its kind."
        )
    launched = ServerState.LAUNCHED
    recorded = [
        ServerLaunch(source_server_id=s.source_server_id, state=launched, job_id=job.job_id, job_arn=job.arn)
        for s in job.servers
    ]
    refreshed = user_errors(lambda: session.engine.refresh(kind, recorded))
    imported: dict[str, Any] = {"source_server_ids": [s.source_server_id for s in job.servers], "tags": dict(job.tags)}
    if kind is LaunchKind.CUTOVER and refreshed.follow_up_done:
        imported["finalize"] = True
    inputs = SCHEMAS[kind].with_defaults({**given, **imported})
    return inputs, _outputs(kind, inputs, job, refreshed.launches, refreshed.follow_up_done, session.connection)


def update(
    kind: LaunchKind,
    olds: Mapping[str, Any],
    news: Mapping[str, Any],
    stack: StackSettings,
    progress: Progress,
    cancellation: Cancellation | None = None,
) -> dict[str, Any]:
    state = without_provider(olds)
    inputs = declared(state, without_provider(news))  # application_ids or wave_id: the servers create resolved
    session = user_errors(lambda: session_for_update(state, inputs, stack, progress, cancellation))
    old_tags, new_tags = dict(state.get("tags") or {}), dict(inputs.get("tags") or {})
    for arn in job_arns(state):
        user_errors(partial(session.engine.retag, arn, old_tags, new_tags))
    recorded = {s.source_server_id: s for s in recorded_launches(state)}
    wanted = tuple(inputs.get("source_server_ids") or ())
    removed = [s for sid, s in recorded.items() if sid not in wanted]
    if removed:
        user_errors(lambda: run_teardown(session.teardown, kind, removed, inputs))
    outs = {**state, **inputs, "effective_role_arn": session.connection.role_arn}
    missing = [sid for sid in wanted if sid not in recorded or not recorded[sid].state.done]
    follow_up_due = bool(inputs.get(FOLLOW_UP_INPUT[kind])) and not state.get(FOLLOW_UP_DONE[kind])
    if missing or follow_up_due:
        result = user_errors(lambda: session.engine.launch(launch_spec(kind, inputs)))
        outs.update(server_outputs(result.launches))
        outs[FOLLOW_UP_DONE[kind]] = _follow_up(kind, result.finalized, result.marked_ready_for_cutover)
    else:
        outs.update(server_outputs([recorded[sid] for sid in wanted]))
    return outs


def delete(
    kind: LaunchKind,
    props: Mapping[str, Any],
    stack: StackSettings,
    progress: Progress,
    cancellation: Cancellation | None = None,
) -> None:
    state = without_provider(props)
    session = user_errors(lambda: session_for_state(state, stack, progress, cancellation))
    user_errors(lambda: run_teardown(session.teardown, kind, recorded_launches(state), state))


def _outputs(
    kind: LaunchKind,
    inputs: Mapping[str, Any],
    job: Job,
    launches: Sequence[ServerLaunch],
    follow_up_done: bool,
    connection: Connection,
) -> dict[str, Any]:
    """A new resource's outputs: every input, the job it started or adopted, each server's launch, the follow-up."""
    return {
        **inputs,
        **job_outputs(job, inputs, connection),
        **server_outputs(launches),
        FOLLOW_UP_DONE[kind]: follow_up_done,
        UNLAUNCHED: [],
    }


def _follow_up(kind: LaunchKind, finalized: bool, marked: bool) -> bool:
    return finalized if kind is LaunchKind.CUTOVER else marked
