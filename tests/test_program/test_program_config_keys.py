"""A key in the program's namespace that the program does not know stops it with one line naming the key and the
known ones (a typo must never point a stack somewhere else); a wave can protect its cutover."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pytest

from tests.harness.mgn import SERVERS
from tests.harness.program import CUTOVER_TYPE, TEST_LAUNCH_TYPE, Registration, run_program

WAVES = {"aws:region": "us-east-1", "mgn-cutover:waves": [{"name": "w1", "sourceServerIds": SERVERS[:1]}]}
KNOWN = "known: accountId, endpointUrl, roleArn, tagInstances, waves"


def refused(config: dict[str, Any]) -> str:
    registered: list[Registration] = []
    with pytest.raises(pulumi.RunError) as caught:
        run_program(config, registrations=registered)
    assert registered == []
    text = str(caught.value)
    assert "\n" not in text
    return text


@pytest.mark.parametrize("key", ["endpointURL", "endpoint_url", "roleARN", "wave", "region"])
def test_an_unknown_key_in_the_namespace_stops_the_program(key: str) -> None:
    text = refused({**WAVES, "mgn-cutover:endpointUrl": "http://127.0.0.1:4599", f"mgn-cutover:{key}": "x"})
    assert f"mgn-cutover:{key} is not a setting of this program" in text and KNOWN in text


def test_an_unknown_key_from_the_engines_config_stops_the_program(monkeypatch: pytest.MonkeyPatch) -> None:
    # `pulumi up` hands the stack config to the program as PULUMI_CONFIG (JSON).
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps({"mgn-cutover:endpointURL": "http://127.0.0.1:4599"}))
    assert "mgn-cutover:endpointURL is not a setting" in refused(WAVES)


def test_keys_of_other_namespaces_are_not_the_programs_business() -> None:
    run = run_program({**WAVES, "aws:profile": "migration", "other-project:endpointURL": "x"})
    assert [r.name for r in run.of_type(CUTOVER_TYPE)] == ["w1-cutover"]


def test_a_protected_wave_protects_its_cutover() -> None:
    waves = [
        {"name": "w1", "sourceServerIds": SERVERS[:1], "protect": True, "test": True},
        {"name": "w2", "sourceServerIds": SERVERS[1:2]},
    ]
    run = run_program({**WAVES, "mgn-cutover:waves": waves})
    assert run.by_name("w1-cutover").protect is True
    assert run.by_name("w2-cutover").protect is False
    assert [r.protect for r in run.of_type(TEST_LAUNCH_TYPE)] == [False]


def test_protect_must_be_true_or_false() -> None:
    waves = [{"name": "w1", "sourceServerIds": SERVERS[:1], "protect": "always"}]
    assert "'protect' must be true or false" in refused({**WAVES, "mgn-cutover:waves": waves})


def test_a_wave_without_cutover_must_be_tested() -> None:
    waves = [{"name": "w1", "sourceServerIds": SERVERS[:1], "cutover": False}]
    assert "'cutover' is false and 'test' is not true, so it declares nothing" in refused(
        {**WAVES, "mgn-cutover:waves": waves}
    )
