"""What each operation mixin of :class:`~mgn_emulator.backend.MgnBackend` reads from it: state, lock and clock."""

from __future__ import annotations

import random
import threading
from datetime import datetime

from mgn_emulator.models import Application, Job, SourceServer, Wave


class BackendPart:
    """The backend's state and the three methods every part calls; :class:`MgnBackend` provides them."""

    lock: threading.RLock
    page_size: int
    _rng: random.Random
    _servers: dict[str, SourceServer]
    _jobs: dict[str, Job]
    _applications: dict[str, Application]
    _waves: dict[str, Wave]

    def now(self) -> datetime:
        raise NotImplementedError

    def _settle(self) -> None:
        """Apply the effects of every job that has completed since the last call."""
        raise NotImplementedError

    def _touch(self) -> None:
        """Count a change (the state file is written when the revision moved)."""
        raise NotImplementedError
