"""The backends and the state file that keeps them: what a request changed is saved before it is answered.

A request runs inside :meth:`Store.transaction`: under the one lock, its change (if it makes one) is made
and then written to the state file; a request that changes nothing writes nothing and cannot fail to. If
the handler raises, or the write fails, every backend is put back as it was before the request, so the
emulator never answers success for a change it has not persisted, and never keeps a change it answered as
failed. (The one exception is deliberate: the ``lose_reply_next`` fault persists
the change and then answers 500, as a reply lost on the way back would.)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from mgn_resources.emulator.backends import BackendDict
from mgn_resources.emulator.persistence import StateFile


class Store:
    def __init__(self, backends: BackendDict, state: StateFile | None = None) -> None:
        self.backends = backends
        self.state = state
        self._saved_revision: int | None = None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the body's change and persist it, or undo it; raises ``StateFileError`` if the save failed."""
        with self.backends.lock:
            self.backends.settle()  # jobs completed by now are not this request's change (and need no save)
            before = self.backends.snapshot()
            revision = self.backends.revision
            try:
                yield
                if self.backends.revision != revision:
                    self.save()
            except BaseException:
                self.backends.restore(before)
                self._saved_revision = None  # revisions go back on restore: the next save must not be skipped
                raise

    def save(self) -> None:
        """Write the state file (if any) when anything changed since the last write."""
        if self.state is None:
            return
        with self.backends.lock:
            stored = self.backends.stored()  # settles completed jobs first, which may itself be a change
            revision = self.backends.revision
            if revision == self._saved_revision:
                return
            self.state.save(stored)
            self._saved_revision = revision
