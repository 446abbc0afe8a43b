"""The backends and the state file that keeps them: what a request changed is saved before it is answered.

A request runs inside :meth:`Store.transaction`: under the one lock, its change (if it makes one) is made
and then written to the state file; a request that changes nothing writes nothing and cannot fail to. If
the handler raises, or the write fails, every backend is put back as it was before the request, so the
emulator never answers success for a change it has not persisted, and never keeps a change it answered as
failed. (The one exception is deliberate: the ``lose_reply_next`` fault persists the change and then answers
500, as a reply lost on the way back would.)

That holds for EC2 as for MGN: an EC2 request that may change state, and MGN's own EC2 calls in a launch, are
saved in the same write as MGN's state (one file, one atomic write, so the two never disagree). With a state
file, EC2 is put back from its encoding at the start of the transaction; taking that encoding costs nothing
unless EC2 changed outside a transaction (a terminate job settling), since every save encodes EC2 and keeps it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from mgn_emulator.backend_dict import BackendDict
from mgn_emulator.persistence import StateFile


class Store:
    def __init__(self, backends: BackendDict, state: StateFile | None = None) -> None:
        self.backends = backends
        self.ec2 = backends.ec2
        self.state = state
        self._saved_revision: tuple[int, int] | None = None  # (MGN's revision, EC2's) at the last write

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the body's change and persist it, or undo it; raises ``StateFileError`` if the save failed."""
        with self.backends.lock:
            self.backends.settle()  # jobs completed by now are not this request's change (and need no save)
            before = self.backends.snapshot()
            revision = self.backends.revision
            ec2_before = self.ec2.encoded() if self.state is not None else None  # cached unless EC2 changed
            ec2_revision = self.ec2.revision
            try:
                yield
                if self.backends.revision != revision or self.ec2.revision != ec2_revision:
                    self.save()
            except BaseException:
                self.backends.restore(before)
                if ec2_before is not None and self.ec2.revision != ec2_revision:
                    self.ec2.rollback(ec2_before)
                self._saved_revision = None  # revisions go back on restore: the next save must not be skipped
                raise

    def save(self) -> None:
        """Write the state file (if any) when anything changed since the last write."""
        if self.state is None:
            return
        with self.backends.lock:
            stored = self.backends.stored()  # settles completed jobs first, which may itself be a change
            revision = (self.backends.revision, self.ec2.revision)
            if revision == self._saved_revision:
                return
            self.state.save(stored, self.ec2.stored())
            self._saved_revision = revision
