"""Fixtures for the adapter's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.harness.canned import CannedMgn


@pytest.fixture
def canned() -> Iterator[CannedMgn]:
    """A loopback MGN endpoint that answers what a test tells it to (no replies until set)."""
    with CannedMgn({}) as mgn:
        yield mgn
