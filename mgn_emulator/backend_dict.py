"""One :class:`MgnBackend` per account and region, as MGN keeps them (and as moto's ``BackendDict`` does).

All backends share one lock, so a change and the save that follows it see one consistent state, and a
snapshot of every backend can be taken and put back as a whole.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Sequence

from mgn_emulator.backend import MgnBackend, Snapshot
from mgn_emulator.ec2 import Ec2Side
from mgn_emulator.faults import Faults
from mgn_emulator.lifecycle import JobQuotas
from mgn_emulator.models import DEFAULT_ACCOUNT, DEFAULT_REGION
from mgn_emulator.persistence import StoredBackend
from mgn_resources.clock import Clock

Key = tuple[str, str]  # (account ID, region)


class BackendDict:
    """The backends of every account and region; the seed's account and region are :attr:`default`."""

    def __init__(
        self,
        clock: Clock,
        *,
        faults: Faults,
        launch_seconds: float,
        post_launch_seconds: float | None = None,
        rng: random.Random | None = None,
        account_id: str = DEFAULT_ACCOUNT,
        region: str = DEFAULT_REGION,
        ec2: Ec2Side,
        quotas: JobQuotas | None = None,
    ) -> None:
        self.lock = threading.RLock()
        self.quotas = quotas or JobQuotas()
        self.ec2 = ec2
        self.clock = clock
        self.faults = faults
        self.launch_seconds = launch_seconds
        self.post_launch_seconds = post_launch_seconds
        self.rng = rng or random.Random()
        self.account_id = account_id
        self.region = region
        self._backends: dict[Key, MgnBackend] = {}
        self.default = self.ensure(account_id, region)

    def _new(self, account_id: str, region: str) -> MgnBackend:
        return MgnBackend(
            self.clock,
            faults=self.faults,
            launch_seconds=self.launch_seconds,
            post_launch_seconds=self.post_launch_seconds,
            rng=self.rng,
            lock=self.lock,
            account_id=account_id,
            region=region,
            ec2=self.ec2,
            quotas=self.quotas,
        )

    def ensure(self, account_id: str, region: str) -> MgnBackend:
        """The backend of ``account_id`` in ``region``, created (and kept) if there is none yet."""
        with self.lock:
            backend = self._backends.get((account_id, region))
            if backend is None:
                backend = self._backends[(account_id, region)] = self._new(account_id, region)
            return backend

    def get(self, account_id: str, region: str) -> MgnBackend:
        """The backend of ``account_id`` in ``region``; an empty one (not kept) if nothing was ever put there.

        MGN requests use this, so a request naming another account or region sees no servers and no jobs
        without the emulator keeping a backend for every account ID a client makes up.
        """
        with self.lock:
            return self._backends.get((account_id, region)) or self._new(account_id, region)

    def all(self) -> list[MgnBackend]:
        with self.lock:
            return list(self._backends.values())

    def settle(self) -> None:
        """Apply the effects of every job that has completed by now, in every backend."""
        with self.lock:
            for backend in self._backends.values():
                backend.settle()

    @property
    def revision(self) -> int:
        """Grows with every change in any backend (and goes back with :meth:`restore`)."""
        with self.lock:
            return sum(b.revision for b in self._backends.values())

    def snapshot(self) -> dict[Key, Snapshot]:
        with self.lock:
            return {key: backend.snapshot() for key, backend in self._backends.items()}

    def restore(self, snapshot: dict[Key, Snapshot]) -> None:
        """Put every backend back as it was at ``snapshot``; backends created since then are dropped."""
        with self.lock:
            for key in set(self._backends) - set(snapshot):
                del self._backends[key]
            for key, state in snapshot.items():
                self._backends[key].restore(state)

    def stored(self) -> list[StoredBackend]:
        """Every backend that holds anything, for the state file (the default one always)."""
        with self.lock:
            found = []
            for (account_id, region), backend in sorted(self._backends.items()):
                servers, jobs = backend.servers(), backend.jobs()
                applications, waves = backend.applications(), backend.waves()
                if servers or jobs or applications or waves or backend is self.default:
                    found.append(
                        StoredBackend(
                            account_id, region, tuple(servers), tuple(jobs), tuple(applications), tuple(waves)
                        )
                    )
            return found

    def load(self, stored: Sequence[StoredBackend]) -> None:
        with self.lock:
            for entry in stored:
                backend = self.ensure(entry.account_id, entry.region)
                backend.load(entry.servers, entry.jobs, entry.applications, entry.waves)
