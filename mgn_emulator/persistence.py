"""``--state FILE``: every account's and region's servers, jobs, applications, waves and tags as JSON, and the
emulator's EC2 beside them (:mod:`ec2_state`), written atomically in one file, so MGN's records and EC2 never
disagree after a crash.

The file is read strictly: anything but the exact shape written here (see :mod:`codec`), a duplicate or
malformed ID, a server in two active jobs, a job naming a server that does not exist, a server or an
application naming an application or a wave that does not exist, two applications or waves of one name, or an
``ec2`` part
that is not this moto's EC2 is refused with one line naming the file, so a damaged file stops the emulator
instead of serving half of it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from mgn_emulator.bounds import load_json
from mgn_emulator.codec import ShapeError, decode, encode
from mgn_emulator.ec2_state import Ec2State, read_part
from mgn_emulator.files import FileProblem, atomic_write, decode_utf8, read_regular_file
from mgn_emulator.files import remove_orphaned_temps as _remove_orphaned_temps
from mgn_emulator.models import (
    ACCOUNT_ID,
    APPLICATION_ID,
    JOB_ID,
    REGION,
    SERVER_ID,
    WAVE_ID,
    Application,
    Job,
    SourceServer,
    Wave,
)

FORMAT = "mgn-emulator-state/3"
FORMAT_2 = "mgn-emulator-state/2"  # 0.1.0's: no EC2, before EC2 was kept beside MGN


class StateFileError(ValueError):
    """The state file cannot be read back, or cannot be written; the message is one line naming it."""


@dataclass(frozen=True)
class StoredBackend:
    """One account's state in one region, as the state file holds it."""

    account_id: str
    region: str
    servers: tuple[SourceServer, ...]
    jobs: tuple[Job, ...]
    applications: tuple[Application, ...] = ()
    waves: tuple[Wave, ...] = ()


@dataclass(frozen=True)
class StoredState:
    """A state file, read back: MGN's backends, and EC2's part (None in a file of format 2)."""

    backends: list[StoredBackend]
    ec2: Ec2State | None


def payload(backends: Sequence[StoredBackend], ec2: dict[str, Any] | None = None) -> dict[str, Any]:
    """The state file's JSON (with ``ec2``, EC2's part from :meth:`Ec2Side.stored`), or MGN's part alone."""
    data: dict[str, Any] = {"format": FORMAT, "backends": [encode(b) for b in backends]}
    if ec2 is not None:
        data["ec2"] = ec2
    return data


class StateFile:
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def remove_orphaned_temps(self) -> list[Path]:
        """Temp files a killed emulator left mid-write next to the state file (never read: the rename is the commit)."""
        return _remove_orphaned_temps(self.path)

    def load(self) -> StoredState | None:
        """The stored state, or None if there is no file yet; :class:`StateFileError` if it is unusable."""
        if not self.path.exists():  # a dangling symlink too: the first save creates its target
            return None
        try:
            data = load_json(decode_utf8(read_regular_file(self.path)))
        except FileProblem as exc:
            raise StateFileError(f"state file {self.path}: {exc}") from None
        except ValueError as exc:
            raise StateFileError(f"state file {self.path}: not valid JSON ({exc})") from None
        try:
            return _state(data)
        except ShapeError as exc:
            raise StateFileError(f"state file {self.path}: {exc}") from None

    def save(self, backends: Sequence[StoredBackend], ec2: dict[str, Any]) -> None:
        """Write MGN's backends and EC2's part (:meth:`Ec2Side.stored`) in one atomic write."""
        try:
            atomic_write(self.path, json.dumps(payload(backends, ec2), indent=1, sort_keys=True))
        except OSError as exc:
            raise StateFileError(f"state file {self.path}: cannot be written ({exc.strerror or exc})") from None


def _state(data: Any) -> StoredState:
    if not isinstance(data, dict) or data.get("format") not in (FORMAT, FORMAT_2):
        raise ShapeError(f"not an emulator state file (expected an object with format {FORMAT!r})")
    if data["format"] == FORMAT:
        _exact_keys(data, {"format", "backends", "ec2"}, "the top level")
        backends = _backends(data["backends"])
        return StoredState(backends, read_part(data["ec2"]))
    _exact_keys(data, {"format", "backends"}, "the top level")
    # Files of format 2 kept no EC2: the launch templates they name are gone, new ones are made when needed.
    backends = [
        replace(b, servers=tuple(replace(s, launch_config=replace(s.launch_config, ec2_launch_template_id=""))
                                 for s in b.servers))
        for b in _backends(data["backends"])
    ]
    return StoredState(backends, None)


def _backends(entries: Any) -> list[StoredBackend]:
    if not isinstance(entries, list):
        raise ShapeError("backends: expected a list")
    found: list[StoredBackend] = []
    for index, entry in enumerate(entries):
        backend = _backend(entry, f"backends[{index}]")
        if any((b.account_id, b.region) == (backend.account_id, backend.region) for b in found):
            raise ShapeError(f"backends[{index}]: account {backend.account_id} in {backend.region} is listed twice")
        found.append(backend)
    return found


def _exact_keys(data: dict[str, Any], keys: set[str], where: str) -> None:
    missing, unknown = sorted(keys - set(data)), sorted(set(data) - keys)
    if missing:
        raise ShapeError(f"{where}: missing key {missing[0]!r}")
    if unknown:
        raise ShapeError(f"{where}: unknown key {unknown[0]!r}")


def _backend(data: Any, where: str) -> StoredBackend:
    if not isinstance(data, dict):
        raise ShapeError(f"{where}: expected an object")
    # applications and waves are absent from files written before the emulator kept them
    _exact_keys(data, {"account_id", "region", "servers", "jobs"} | ({"applications", "waves"} & set(data)), where)
    account, region = data["account_id"], data["region"]
    if not isinstance(account, str) or not ACCOUNT_ID.fullmatch(account):
        raise ShapeError(f"{where}.account_id: {account!r} is not a 12-digit account ID")
    if not isinstance(region, str) or not REGION.fullmatch(region):
        raise ShapeError(f"{where}.region: {region!r} is not a region name")
    servers = _list(SourceServer, data["servers"], f"{where}.servers")
    jobs = _list(Job, data["jobs"], f"{where}.jobs")
    _check_ids([s.server_id for s in servers], SERVER_ID, f"{where}.servers", "server")
    _check_ids([j.job_id for j in jobs], JOB_ID, f"{where}.jobs", "job")
    _check_jobs(servers, jobs, where)
    applications = _list(Application, data.get("applications", []), f"{where}.applications")
    waves = _list(Wave, data.get("waves", []), f"{where}.waves")
    _check_groups(servers, applications, waves, where)
    return StoredBackend(account, region, servers, jobs, applications, waves)


def _list(kind: Any, data: Any, where: str) -> tuple[Any, ...]:
    if not isinstance(data, list):
        raise ShapeError(f"{where}: expected a list")
    return tuple(decode(kind, item, f"{where}[{i}]") for i, item in enumerate(data))


def _check_ids(ids: list[str], pattern: Any, where: str, what: str) -> None:
    seen: set[str] = set()
    for index, value in enumerate(ids):
        if not pattern.fullmatch(value):
            raise ShapeError(f"{where}[{index}]: {value!r} is not a {what} ID")
        if value in seen:
            raise ShapeError(f"{where}[{index}]: {what} {value} is listed twice")
        seen.add(value)


def _check_jobs(servers: tuple[SourceServer, ...], jobs: tuple[Job, ...], where: str) -> None:
    known = {s.server_id for s in servers}
    busy: dict[str, str] = {}
    for index, job in enumerate(jobs):
        ids = [p.server_id for p in job.servers]
        for sid in ids:
            if sid not in known:
                raise ShapeError(f"{where}.jobs[{index}]: job {job.job_id} names server {sid}, which is not stored")
        if len(set(ids)) != len(ids):
            raise ShapeError(f"{where}.jobs[{index}]: job {job.job_id} lists a server twice")
        for sid in ids if not job.settled else ():
            if sid in busy:
                raise ShapeError(f"{where}.jobs[{index}]: server {sid} is in active jobs {busy[sid]} and {job.job_id}")
            busy[sid] = job.job_id


def _check_groups(
    servers: tuple[SourceServer, ...], applications: tuple[Application, ...], waves: tuple[Wave, ...], where: str
) -> None:
    """IDs well-formed and listed once, names unique, and every association naming a stored application or wave."""
    _check_ids([a.application_id for a in applications], APPLICATION_ID, f"{where}.applications", "application")
    _check_ids([w.wave_id for w in waves], WAVE_ID, f"{where}.waves", "wave")
    for kind, names in (("applications", [a.name for a in applications]), ("waves", [w.name for w in waves])):
        seen: set[str] = set()
        for index, name in enumerate(names):
            if name in seen:
                raise ShapeError(f"{where}.{kind}[{index}]: the name {name!r} is listed twice")
            seen.add(name)
    app_ids, wave_ids = {a.application_id for a in applications}, {w.wave_id for w in waves}
    for index, server in enumerate(servers):
        if server.application_id is not None and server.application_id not in app_ids:
            raise ShapeError(
                f"{where}.servers[{index}]: server {server.server_id} names application {server.application_id}, "
                "which is not stored"
            )
    for index, app in enumerate(applications):
        if app.wave_id is not None and app.wave_id not in wave_ids:
            raise ShapeError(
                f"{where}.applications[{index}]: application {app.application_id} names wave {app.wave_id}, "
                "which is not stored"
            )
