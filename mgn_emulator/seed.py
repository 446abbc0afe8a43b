"""The seed file (YAML, or the same schema as a dict): servers, and optionally applications, waves, faults and
durations.

```yaml
servers:
  - id: s-0a1b2c3d4e5f6a7b8
    hostname: web-01
    state: READY_FOR_CUTOVER
    launch: fail                    # optional, default ok
    replication: {state: STALLED, lag_seconds: 600}   # optional, default CONTINUOUS with no lag
    post_launch_actions:
      - {name: smoke-test, must_succeed: true, result: SUCCESS}
applications:                       # optional
  - name: web                       # unique; the model's ApplicationName
    id: app-0a1b2c3d4e5f6a7b8       # optional, default app- and 17 hex digits of the name's SHA-256
    description: the web tier       # optional
    servers: [s-0a1b2c3d4e5f6a7b8]  # servers of this seed, each in one application at most
    tags: {owner: team-a}           # optional
    archived: false                 # optional; an archived application's servers must be archived
waves:                              # optional
  - name: wave-1                    # unique; id, description, tags, archived as for applications
    applications: [web]             # names (or IDs) of this seed's applications, each in one wave at most
faults: {throttle_rate: 0.0}        # optional, keys of FaultSettings
launch_seconds: 2.0                 # optional
quotas: {concurrent_jobs: 4, active_source_servers: 200}   # optional, default MGN's 20 and 200
post_launch_seconds: 2.0            # optional
region: us-east-1                   # optional: the region the servers are in (default us-east-1)
account_id: "111122223333"          # optional: the account that owns them (default 111122223333)
```
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from mgn_emulator.bounds import TooDeepError, check_depth, check_seconds
from mgn_emulator.faults import FaultSettings
from mgn_emulator.files import FileProblem, decode_utf8, read_regular_file
from mgn_emulator.lifecycle import JobQuotas
from mgn_emulator.models import (
    ACCOUNT_ID,
    APPLICATION_ID,
    DEFAULT_ACCOUNT,
    DEFAULT_REGION,
    REGION,
    SERVER_ID,
    WAVE_ID,
    ActionResult,
    LaunchOutcome,
    LifeCycleState,
    PostLaunchAction,
)
from mgn_emulator.spec import enum_values
from mgn_emulator.validation import shape_problems

_SERVER_KEYS = frozenset(
    {"id", "hostname", "state", "launch", "post_launch_actions", "replication_type", "replication", "archived", "tags"}
)
_ACTION_KEYS = frozenset({"name", "must_succeed", "result"})
_TOP_KEYS = frozenset(
    {
        "servers", "applications", "waves", "faults", "launch_seconds", "post_launch_seconds", "region", "account_id",
        "quotas",
    }
)
_GROUP_KEYS = frozenset({"id", "name", "description", "tags", "archived"})


class SeedError(ValueError):
    """A seed file or server entry that cannot be used; the message names the entry and the problem."""


@dataclass(frozen=True)
class ServerSpec:
    server_id: str
    hostname: str
    state: LifeCycleState = LifeCycleState.READY_FOR_CUTOVER
    launch: LaunchOutcome = LaunchOutcome.OK
    post_launch_actions: tuple[PostLaunchAction, ...] = ()
    replication_type: str = "AGENT_BASED"
    archived: bool = False
    tags: Mapping[str, str] = field(default_factory=dict)
    replication_state: str = "CONTINUOUS"
    replication_lag_seconds: float = 0.0


@dataclass(frozen=True)
class GroupSpec:
    """A seed application (``members``: its server IDs) or wave (``members``: its application IDs)."""

    group_id: str
    name: str
    members: tuple[str, ...] = ()
    description: str = ""
    tags: Mapping[str, str] = field(default_factory=dict)
    archived: bool = False


@dataclass(frozen=True)
class Seed:
    servers: tuple[ServerSpec, ...] = ()
    applications: tuple[GroupSpec, ...] = ()
    waves: tuple[GroupSpec, ...] = ()
    faults: FaultSettings | None = None
    launch_seconds: float | None = None
    post_launch_seconds: float | None = None
    quotas: JobQuotas | None = None
    region: str = DEFAULT_REGION
    account_id: str = DEFAULT_ACCOUNT


def load_seed(source: str | os.PathLike[str] | Mapping[str, Any] | None) -> Seed:
    """Read a seed from a YAML path or a mapping; raise :class:`SeedError` naming the bad entry."""
    if source is None:
        return Seed()
    if isinstance(source, Mapping):
        return parse_seed(source)
    where = f"seed file {os.fspath(source)}"
    try:
        data = yaml.safe_load(decode_utf8(read_regular_file(source)))
        check_depth(data, "YAML")
    except FileProblem as exc:
        raise SeedError(f"{where}: {exc}") from None
    except yaml.YAMLError as exc:
        raise SeedError(f"{where}: not valid YAML ({str(exc).splitlines()[0]})") from None
    except (RecursionError, TooDeepError):
        raise SeedError(f"{where}: nested deeper than a seed ever is") from None
    return parse_seed(data if data is not None else {}, where=where)


def parse_seed(data: Any, *, where: str = "seed") -> Seed:
    if not isinstance(data, Mapping):
        raise SeedError(f"{where}: expected a mapping with a 'servers' list")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise SeedError(f"{where}: unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(_TOP_KEYS))})")
    entries = data.get("servers") or []
    if not isinstance(entries, list):
        raise SeedError(f"{where}: 'servers' must be a list")
    servers = tuple(parse_server(entry, where=f"{where}: servers[{i}]") for i, entry in enumerate(entries))
    seen: set[str] = set()
    for spec in servers:
        if spec.server_id in seen:
            raise SeedError(f"{where}: server {spec.server_id} is listed twice")
        seen.add(spec.server_id)
    faults = None
    if data.get("faults") is not None:
        if not isinstance(data["faults"], Mapping):
            raise SeedError(f"{where}: 'faults' must be a mapping")
        try:
            faults = FaultSettings.from_mapping(data["faults"], where=f"{where}: faults")
        except ValueError as exc:
            raise SeedError(str(exc)) from exc
    applications = _groups(data, "applications", "servers", {s.server_id: s.archived for s in servers}, where)
    waves = _groups(data, "waves", "applications", {a.group_id: a.archived for a in applications}, where,
                    aliases={a.name: a.group_id for a in applications})
    return Seed(
        servers=servers,
        applications=applications,
        waves=waves,
        faults=faults,
        launch_seconds=_seconds(data, "launch_seconds", where),
        post_launch_seconds=_seconds(data, "post_launch_seconds", where),
        quotas=_quotas(data, where),
        region=_matching(data, "region", REGION, DEFAULT_REGION, "a region name such as us-east-1", where),
        account_id=_matching(data, "account_id", ACCOUNT_ID, DEFAULT_ACCOUNT, "a 12-digit account ID (quoted)", where),
    )


def _seconds(data: Mapping[str, Any], key: str, where: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    try:
        return check_seconds(value, key)
    except ValueError as exc:
        raise SeedError(f"{where}: {exc}") from None


def _quotas(data: Mapping[str, Any], where: str) -> JobQuotas | None:
    value = data.get("quotas")
    if value is None:
        return None
    if not isinstance(value, Mapping) or set(value) - {"concurrent_jobs", "active_source_servers"}:
        raise SeedError(f"{where}: 'quotas' must be a mapping of concurrent_jobs and/or active_source_servers")
    try:
        return JobQuotas(**value)
    except ValueError as exc:
        raise SeedError(f"{where}: {exc}") from None


def _matching(data: Mapping[str, Any], key: str, pattern: Any, default: str, what: str, where: str) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise SeedError(f"{where}: {key} must be {what}, not {value!r}")
    return value


def parse_server(entry: Any, *, where: str = "server") -> ServerSpec:
    """One server entry (seed file, ``add_server`` or ``POST /_emulator/servers``)."""
    if not isinstance(entry, Mapping):
        raise SeedError(f"{where}: expected a mapping with at least 'id'")
    server_id = entry.get("id")
    label = f"{where} ({server_id})" if isinstance(server_id, str) else where
    unknown = set(entry) - _SERVER_KEYS
    if unknown:
        raise SeedError(f"{label}: unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(_SERVER_KEYS))})")
    if not isinstance(server_id, str) or not SERVER_ID.fullmatch(server_id):
        raise SeedError(f"{label}: id {server_id!r} is not a source server ID (s- and 17 letters or digits)")
    hostname = entry.get("hostname", server_id)
    if not isinstance(hostname, str):
        raise SeedError(f"{label}: hostname must be a string")
    state = _enum(LifeCycleState, entry.get("state", "READY_FOR_CUTOVER"), "state", label)
    launch = _enum(LaunchOutcome, entry.get("launch", "ok"), "launch", label)
    replication = _one_of(entry.get("replication_type", "AGENT_BASED"), enum_values("ReplicationType"),
                          "replication_type", label)
    archived = entry.get("archived", False)
    if not isinstance(archived, bool):
        raise SeedError(f"{label}: archived must be true or false")
    tags = entry.get("tags", {}) or {}
    if not isinstance(tags, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in tags.items()):
        raise SeedError(f"{label}: tags must map strings to strings")
    actions_raw = entry.get("post_launch_actions", []) or []
    if not isinstance(actions_raw, list):
        raise SeedError(f"{label}: post_launch_actions must be a list")
    actions = tuple(_action(a, f"{label}: post_launch_actions[{i}]") for i, a in enumerate(actions_raw))
    data_state, lag = _replication(entry.get("replication") or {}, label)
    return ServerSpec(server_id, hostname, state, launch, actions, replication, archived, dict(tags), data_state, lag)


def _replication(entry: Any, where: str) -> tuple[str, float]:
    """``replication: {state: <the model's DataReplicationState>, lag_seconds: N}``."""
    if not isinstance(entry, Mapping) or set(entry) - {"state", "lag_seconds"}:
        raise SeedError(f"{where}: replication must be a mapping of state and lag_seconds")
    state = _one_of(entry.get("state", "CONTINUOUS"), enum_values("DataReplicationState"), "replication state", where)
    try:
        lag = check_seconds(entry.get("lag_seconds", 0), "replication lag_seconds")
    except ValueError as exc:
        raise SeedError(f"{where}: {exc}") from None
    return state, lag


def _action(entry: Any, where: str) -> PostLaunchAction:
    if not isinstance(entry, Mapping):
        raise SeedError(f"{where}: expected a mapping with 'name'")
    unknown = set(entry) - _ACTION_KEYS
    if unknown:
        raise SeedError(f"{where}: unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(_ACTION_KEYS))})")
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        raise SeedError(f"{where}: name must be a non-empty string")
    must = entry.get("must_succeed", True)
    if not isinstance(must, bool):
        raise SeedError(f"{where}: must_succeed must be true or false")
    result = _enum(ActionResult, entry.get("result", "SUCCESS"), "result", where)
    return PostLaunchAction(name, must, result)


def _enum(kind: Any, value: Any, key: str, where: str) -> Any:
    return kind(_one_of(value, tuple(m.value for m in kind), key, where))


def _one_of(value: Any, allowed: tuple[str, ...], key: str, where: str) -> str:
    """``value`` if it is one of ``allowed`` (an enum's values, or the model's), else a SeedError naming them."""
    if value not in allowed:
        raise SeedError(f"{where}: unknown {key} {value!r} (one of: {', '.join(allowed)})")
    return str(value)


# ---- applications and waves ----------------------------------------------------------------------
_KINDS = {  # seed key -> (ID prefix, ID pattern, model shape of name and description, noun)
    "applications": ("app-", APPLICATION_ID, "Application", "application"),
    "waves": ("wave-", WAVE_ID, "Wave", "wave"),
}


def seed_id(prefix: str, name: str) -> str:
    """The ID a seed entry without one gets: ``prefix`` and 17 hex digits of its name's SHA-256 (stable)."""
    return prefix + hashlib.sha256(f"{prefix}{name}".encode()).hexdigest()[:17]


def _groups(
    data: Mapping[str, Any],
    key: str,
    member_key: str,
    known: Mapping[str, bool],
    where: str,
    *,
    aliases: Mapping[str, str] | None = None,
) -> tuple[GroupSpec, ...]:
    """The seed's ``applications`` (members: servers) or ``waves`` (members: applications, by name or ID).

    ``known`` maps each member the seed declares to whether it is archived.
    """
    entries = data.get(key, [])
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        raise SeedError(f"{where}: '{key}' must be a list")
    found: list[GroupSpec] = []
    owner: dict[str, str] = {}
    for index, entry in enumerate(entries):
        spec = _group(entry, key, member_key, f"{where}: {key}[{index}]", lambda m: (aliases or {}).get(m, m))
        label = f"{where}: {key}[{index}] ({spec.name})"
        for other in found:
            if spec.group_id == other.group_id or spec.name == other.name:
                raise SeedError(f"{label}: its {'id' if spec.group_id == other.group_id else 'name'} is listed twice")
        for member in spec.members:
            if member not in known:
                raise SeedError(f"{label}: {member_key} names {member}, which this seed does not declare")
            if member in owner:
                raise SeedError(f"{label}: {member} is in {owner[member]} already (one {_KINDS[key][3]} at most)")
            owner[member] = spec.name
            if spec.archived and not known[member]:
                raise SeedError(f"{label}: it is archived, so {member} must be archived too")
        found.append(spec)
    return tuple(found)


def _group(entry: Any, key: str, member_key: str, where: str, resolve: Callable[[str], str]) -> GroupSpec:
    prefix, pattern, shape, noun = _KINDS[key]
    if not isinstance(entry, Mapping):
        raise SeedError(f"{where}: expected a mapping with at least 'name'")
    name = entry.get("name")
    label = f"{where} ({name})" if isinstance(name, str) else where
    allowed = _GROUP_KEYS | {member_key}
    unknown = set(entry) - allowed
    if unknown:
        raise SeedError(f"{label}: unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(allowed))})")
    for field_name, shape_name, value in (
        ("name", f"{shape}Name", name),
        ("description", f"{shape}Description", entry.get("description", "")),
        ("tags", "TagsMap", entry.get("tags") or {}),
    ):
        problems = shape_problems(shape_name, value)
        if problems:
            raise SeedError(f"{label}: {field_name} {value!r} breaks the model's {shape_name}: {problems[0]}")
    assert isinstance(name, str)  # shape_problems refused anything else
    group_id = entry.get("id", seed_id(prefix, name))
    if not isinstance(group_id, str) or not pattern.fullmatch(group_id):
        raise SeedError(f"{label}: id {group_id!r} is not a {noun} ID ({prefix} and 17 letters or digits)")
    members = entry.get(member_key) or []
    if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
        raise SeedError(f"{label}: {member_key} must be a list of strings")
    resolved = [resolve(m) for m in members]
    if len(set(resolved)) != len(resolved):
        raise SeedError(f"{label}: {member_key} lists one twice")
    archived = entry.get("archived", False)
    if not isinstance(archived, bool):
        raise SeedError(f"{label}: archived must be true or false")
    return GroupSpec(group_id, name, tuple(resolved), entry.get("description", ""), dict(entry.get("tags") or {}),
                     archived)
