"""The plugin ends itself once the engine that started it is gone (a killed runner), as the dynamic host does."""

from __future__ import annotations

import time

import pytest

from mgn_resources.lifecycle.engine_watch import CHECK_EVERY_SECONDS, MISSES_TO_EXIT
from tests.harness.plugin import FakeEngine, Plugin


@pytest.mark.slow
def test_the_plugin_exits_once_its_engine_is_gone() -> None:
    engine = FakeEngine()
    plugin = Plugin(engine.address)
    try:
        time.sleep(2 * CHECK_EVERY_SECONDS)
        assert plugin.process.poll() is None  # the engine answers: the plugin stays
        engine.stop()
        plugin.process.wait(timeout=(MISSES_TO_EXIT + 2) * CHECK_EVERY_SECONDS)
        assert f"the pulumi engine at {engine.address} is gone; the mgn plugin exits" in plugin.stderr
    finally:
        engine.stop()
        plugin.stop()


@pytest.mark.slow
def test_a_plugin_started_without_an_engine_keeps_serving() -> None:
    with Plugin("127.0.0.1:1") as plugin:  # nothing listens there: started by hand, not by an engine
        time.sleep((MISSES_TO_EXIT + 1) * CHECK_EVERY_SECONDS)
        assert plugin.process.poll() is None and plugin.get_schema()
