"""``--state FILE``: every server, job and tag as JSON, written atomically (temp file, fsync, rename)."""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
import threading
import types
import typing
from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

from mgn_resources.emulator.entities import Job, SourceServer

FORMAT = "mgn-emulator-state/1"


class StateFileError(ValueError):
    """The state file exists but cannot be read back."""


def encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    return value


def decode(kind: Any, data: Any) -> Any:
    """Rebuild a value of type ``kind`` (dataclass, enum, datetime, tuple, Optional, ...) from JSON."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        if data is None:
            return None
        inner = [a for a in typing.get_args(kind) if a is not type(None)]
        return decode(inner[0], data)
    if origin is tuple:
        return tuple(decode(typing.get_args(kind)[0], item) for item in data)
    if origin in (Mapping, dict) or kind is Mapping:
        return dict(data)
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        hints = typing.get_type_hints(kind)
        return kind(**{f.name: decode(hints[f.name], data[f.name]) for f in dataclasses.fields(kind) if f.name in data})
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(data)
    if kind is datetime:
        return datetime.fromisoformat(data)
    if kind is float:
        return float(data)
    return data


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so a crash leaves the old file or the new one, never half of either."""
    directory = path.parent
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


class StateFile:
    """Saves the backend after each change; loads it at start."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._saved_revision = -1

    def load(self) -> tuple[list[SourceServer], list[Job]] | None:
        if not self.path.exists():
            return None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise StateFileError(f"state file {self.path}: not an emulator state file ({FORMAT})")
            servers = [decode(SourceServer, s) for s in data["servers"]]
            jobs = [decode(Job, j) for j in data["jobs"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            if isinstance(exc, StateFileError):
                raise
            raise StateFileError(f"state file {self.path}: cannot be read ({exc})") from exc
        return servers, jobs

    def save(self, revision: int, servers: list[SourceServer], jobs: list[Job]) -> None:
        """Write if ``revision`` is newer than the last one written (concurrent savers keep order)."""
        with self._lock:
            if revision <= self._saved_revision:
                return
            payload = {"format": FORMAT, "servers": encode(servers), "jobs": encode(jobs)}
            atomic_write(self.path, json.dumps(payload, indent=1, sort_keys=True))
            self._saved_revision = revision
