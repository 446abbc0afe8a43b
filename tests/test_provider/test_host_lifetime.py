"""The provider host ends itself once its pulumi engine is gone (the end-to-end case: tests/test_e2e)."""

from __future__ import annotations

import io
import sys

import pytest

from mgn_resources.lifecycle.engine_watch import MISSES_TO_EXIT, watch_engine
from mgn_resources.provider.host_lifetime import engine_address


class Exited(Exception):
    pass


def run_watch(answers: list[bool]) -> tuple[int, int | None]:
    """Checks made before the watch ended the process (and its exit code), given the engine's answers."""
    replies = iter(answers)
    checks = 0
    code: int | None = None

    def answer(_address: tuple[str, int]) -> bool:
        nonlocal checks
        checks += 1
        return next(replies)

    def exit_process(status: int) -> None:
        nonlocal code
        code = status
        raise Exited

    try:
        watch_engine(("127.0.0.1", 1), "provider host", answers=answer, wait=lambda _s: None, exit_process=exit_process)
    except (Exited, StopIteration):
        pass
    return checks, code


def test_the_host_exits_after_the_engine_is_gone_twice_in_a_row() -> None:
    assert MISSES_TO_EXIT == 2
    assert run_watch([True, True, False, False, True]) == (4, 1)


def test_one_missed_check_is_forgiven() -> None:
    checks, code = run_watch([False, True, False, True, True])
    assert code is None and checks == 6  # all five answers used, still watching at the sixth


def test_the_engine_address_comes_from_the_hosts_first_argument() -> None:
    assert engine_address(["-m", "127.0.0.1:43515"]) == ("127.0.0.1", 43515)
    assert engine_address(["-m", "[::1]:43515"]) == ("::1", 43515)
    assert engine_address(["-m"]) is None
    assert engine_address(["-m", "nonsense"]) is None


def test_the_host_exits_even_when_its_stderr_went_with_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    class BrokenPipe(io.StringIO):
        def write(self, _text: str) -> int:
            raise BrokenPipeError("the engine read the other end")

    monkeypatch.setattr(sys, "stderr", BrokenPipe())
    assert run_watch([False, False]) == (2, 1)
