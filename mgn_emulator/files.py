"""Reading and writing the emulator's files: regular files only, atomic writes through symlinks, no leftovers."""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

from mgn_emulator.bounds import MAX_FILE_BYTES

_TEMP_SUFFIX = ".tmp"


class FileProblem(ValueError):
    """A path that cannot be read as a file: its message is the reason alone (callers name the file)."""


def read_regular_file(path: str | os.PathLike[str]) -> bytes:
    """The bytes of ``path``, which must be a regular file of at most :data:`MAX_FILE_BYTES`.

    Opened non-blocking and checked with ``fstat`` before reading, so a FIFO or a device never blocks the
    caller. Raises :class:`FileProblem` (``OSError`` reasons included) with a one-line reason.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise FileProblem(exc.strerror or str(exc)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileProblem("is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem("is not a regular file (a FIFO, socket or device?)")
        if info.st_size > MAX_FILE_BYTES:
            raise FileProblem(f"is {info.st_size} bytes; the limit is {MAX_FILE_BYTES}")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise FileProblem(exc.strerror or str(exc)) from None
    finally:
        os.close(fd)


def decode_utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileProblem(f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None


def target(path: Path) -> Path:
    """Where writes to ``path`` land: through a symlink (chain), to the file it names."""
    return Path(os.path.realpath(path))


def _temp_name(name: str) -> re.Pattern[str]:
    # tempfile.mkstemp(prefix=".NAME.", suffix=".tmp") adds 8 characters of [a-z0-9_].
    return re.compile(re.escape(f".{name}.") + r"[a-z0-9_]{8}" + re.escape(_TEMP_SUFFIX))


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so a crash leaves the old file or the new one, never half of either.

    A symlink at ``path`` is written through (its target is replaced, the link stays).
    """
    final = target(path)
    directory = final.parent
    fd, temp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=_TEMP_SUFFIX, dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, final)
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


def remove_orphaned_temps(path: Path) -> list[Path]:
    """Delete the temp files that an :func:`atomic_write` of ``path`` killed mid-write left behind."""
    final = target(path)
    pattern = _temp_name(final.name)
    removed = []
    try:
        candidates = list(final.parent.iterdir())
    except OSError:
        return []
    for candidate in candidates:
        if pattern.fullmatch(candidate.name) and candidate.is_file() and not candidate.is_symlink():
            candidate.unlink(missing_ok=True)
            removed.append(candidate)
    return removed
