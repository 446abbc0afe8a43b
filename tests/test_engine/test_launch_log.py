"""The launch's progress line counts its servers in words a person would write."""

from __future__ import annotations

import pytest

from tests.harness.emulator import server_id as sid

from .conftest import Rig

pytestmark = pytest.mark.slow


def test_the_start_line_says_server_for_one_and_servers_for_more(rig: Rig) -> None:
    one = rig.engine.launch(rig.spec(sid(1)))
    two = rig.engine.launch(rig.spec(sid(2), sid(3)))

    assert f"Started cutover job {one.job.job_id} for 1 server ({sid(1)})." in rig.progress.infos
    assert f"Started cutover job {two.job.job_id} for 2 servers ({sid(2)}, {sid(3)})." in rig.progress.infos
