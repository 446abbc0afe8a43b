"""diff, per server: which servers an update launches or acts on, and the refusal to replace live servers away.

From the state alone (no AWS call): a server the state records as not launched now (``pending`` or ``failed``,
after a refresh or a partial failure) makes an update that launches it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import ReplaceRefusedError
from ..schema.inputs import RETAIN, TERMINATE
from .common import is_unknown
from .outputs import recorded_launches

OPT_IN = "allow_revert_on_replace"


def server_plan(olds: Mapping[str, Any], news: Mapping[str, Any]) -> str:
    """One sentence naming the servers the update launches or acts on; "" when it acts on none."""
    wanted = news.get("source_server_ids")
    if is_unknown(wanted):
        return ""
    recorded = {s.source_server_id: s for s in recorded_launches(olds)}
    added = [sid for sid in wanted or () if sid not in recorded]
    again = [f"{sid} ({recorded[sid].state.value})" for sid in wanted or () if sid in recorded
             and not recorded[sid].state.done]
    removed = [sid for sid in recorded if sid not in (wanted or ())]
    parts = []
    if added:
        parts.append(f"launches {', '.join(added)} (added)")
    if again:
        parts.append(f"launches {', '.join(again)} again")
    if removed:
        parts.append(f"applies on_delete={news.get('on_delete') or RETAIN} to {', '.join(removed)} (removed)")
    if not parts:
        return ""
    return f"The update of job {olds.get('job_id') or '(unknown)'}'s servers {'; '.join(parts)}."


def refuse_tearing_down_live_servers(olds: Mapping[str, Any], news: Mapping[str, Any], replaces: Sequence[str]) -> None:
    """A replacement deletes the old launch first: refuse it when that reverts or terminates live servers, unless
    the new inputs opt in."""
    mode = str(olds.get("on_delete") or RETAIN)
    if mode == RETAIN or news.get(OPT_IN) is True:
        return
    live = [s.source_server_id for s in recorded_launches(olds) if s.state.done]
    if not live:
        return
    act = "revert and terminate the instances of" if mode == TERMINATE else "revert"
    raise ReplaceRefusedError(
        f"Changing {', '.join(replaces)} replaces job {olds.get('job_id') or '(unknown)'}'s launch, which would {act} "
        f"the live servers {', '.join(live)} (on_delete={mode}); set {OPT_IN}=true to let it, or change "
        f"{', '.join(replaces)} back."
    )
