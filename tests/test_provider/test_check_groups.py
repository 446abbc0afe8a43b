"""check of ``application_ids`` and ``wave_id`` (issue 21): exactly one of them or ``source_server_ids``, each by its
rule, in one sentence naming the input; no AWS call (a closed endpoint is never reached). The Args classes refuse none
of the three as a missing required property."""

from __future__ import annotations

from typing import Any

import pytest

from mgn_resources import CutoverArgs, TestLaunchArgs
from mgn_resources.lifecycle.check import check_inputs
from mgn_resources.provider.cutover import CutoverProvider
from mgn_resources.provider.test_launch import TestLaunchProvider
from mgn_resources.schema import CUTOVER, TEST_LAUNCH
from tests.harness.loopback import free_port

SERVERS = ["s-00000000000000001"]
APPS = ["app-00000000000000001", "app-00000000000000002"]
WAVE = "wave-00000000000000001"
ONE_OF = "Set exactly one of source_server_ids, application_ids or wave_id"


def failures(news: dict[str, Any], provider: Any = None) -> dict[str, str]:
    # A closed port: check must never call it (it makes no AWS call at all).
    news = {"endpoint_url": f"http://127.0.0.1:{free_port()}", "region": "us-east-1", **news}
    result = (provider or CutoverProvider()).check({}, news)
    return {f.property: f.reason for f in result.failures}


@pytest.mark.parametrize("provider", [CutoverProvider, TestLaunchProvider])
@pytest.mark.parametrize("given", [{"application_ids": APPS}, {"wave_id": WAVE}, {"source_server_ids": SERVERS}])
def test_one_of_the_three_passes_and_the_others_stay_unset(provider: type, given: dict[str, Any]) -> None:
    news = {"endpoint_url": f"http://127.0.0.1:{free_port()}", "region": "us-east-1", **given}
    result = provider().check({}, news)
    assert result.failures == []
    assert {k for k in ("source_server_ids", "application_ids", "wave_id") if k in result.inputs} == set(given)


@pytest.mark.parametrize(
    ("news", "prop", "sentence"),
    [
        ({}, "source_server_ids", f"{ONE_OF}; none is set."),
        (
            {"source_server_ids": SERVERS, "application_ids": APPS},
            "application_ids",
            f"{ONE_OF}; source_server_ids and application_ids are both set.",
        ),
        ({"application_ids": APPS, "wave_id": WAVE}, "wave_id", f"{ONE_OF}; application_ids and wave_id are both set."),
        (
            {"source_server_ids": SERVERS, "application_ids": APPS, "wave_id": WAVE},
            "application_ids",
            f"{ONE_OF}; source_server_ids and application_ids and wave_id are all set.",
        ),
    ],
)
@pytest.mark.parametrize("provider", [CutoverProvider, TestLaunchProvider])
def test_any_other_combination_is_refused_in_one_sentence(
    provider: type, news: dict[str, Any], prop: str, sentence: str
) -> None:
    found = failures(news, provider())
    assert found == {prop: sentence}


@pytest.mark.parametrize(
    ("news", "prop", "words"),
    [
        ({"application_ids": []}, "application_ids", "list 1 to 200 application IDs"),
        ({"application_ids": ["app-1"]}, "application_ids", "'app-1' not of the form app- and 17 letters or digits"),
        ({"application_ids": [APPS[0], APPS[0]]}, "application_ids", "listed more than once"),
        ({"application_ids": "app-00000000000000001"}, "application_ids", "must be a list of MGN application IDs"),
        ({"wave_id": "wave-1"}, "wave_id", "'wave-1' is not an MGN wave ID"),
        ({"wave_id": ["wave-00000000000000001"]}, "wave_id", "is not an MGN wave ID"),
    ],
)
def test_each_is_checked_by_its_rule_naming_the_input(news: dict[str, Any], prop: str, words: str) -> None:
    found = failures(news)
    assert list(found) == [prop], found
    assert found[prop].startswith(f"{prop}: ") and words in found[prop]


def test_an_unknown_group_counts_as_given() -> None:
    from pulumi.output import Unknown

    checked = check_inputs(CUTOVER, {"application_ids": Unknown(), "region": "us-east-1"})
    assert checked.failures == []
    checked = check_inputs(TEST_LAUNCH, {"wave_id": Unknown(), "source_server_ids": SERVERS, "region": "us-east-1"})
    assert [f.property for f in checked.failures] == ["wave_id"]


@pytest.mark.parametrize("args", [CutoverArgs, TestLaunchArgs])
def test_the_args_take_any_of_the_three_and_refuse_none(args: type) -> None:
    assert args(application_ids=APPS).application_ids == APPS
    assert args(wave_id=WAVE).wave_id == WAVE
    with pytest.raises(TypeError, match=r"Missing required property 'source_server_ids' \(or 'application_ids' or "):
        args(tags={"a": "b"})
