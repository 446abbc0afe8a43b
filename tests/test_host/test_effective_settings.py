"""diff compares where the job lives as resolved (input, else stack config, else environment) with what it was
launched with, through the real host: stating the effective value is no change; a real difference names exactly
the setting, so a harmless edit never reverts and relaunches a cutover."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from tests.harness import HostError, ProviderHost
from tests.harness.emulator import mutating_calls
from tests.harness.mgn import SERVERS, up

pytestmark = pytest.mark.slow

ACCOUNT = "111122223333"  # the emulator's account when no accountID is given
ROLE = "arn:aws:iam::123456789012:role/mgn-cutover"


@pytest.fixture
def env_host(emu: EmulatorServer) -> Iterator[ProviderHost]:
    """A host whose endpoint comes from AWS_ENDPOINT_URL_MGN and whose region from aws:region."""
    from mgn_resources import CutoverProvider

    with ProviderHost(CutoverProvider(), env={"AWS_ENDPOINT_URL_MGN": emu.url}) as host:
        host.configure({"aws:region": "us-east-1"})
        yield host


def launched(host: ProviderHost, **inputs: Any) -> tuple[str, dict[str, Any]]:
    news = {"source_server_ids": SERVERS[:2], "poll_interval_seconds": 0.05, "on_delete": "terminate",
            "allow_revert_on_replace": True, **inputs}
    _, created = up(host, news)
    return created.id, created.outs


def diff(host: ProviderHost, id_: str, outs: dict[str, Any], **inputs: Any) -> Any:
    news = {"source_server_ids": SERVERS[:2], "poll_interval_seconds": 0.05, "on_delete": "terminate",
            "allow_revert_on_replace": True, **inputs}
    checked = host.check(outs, news)
    assert checked.failures == []
    return host.diff(id_, outs, checked.inputs)


def test_the_outputs_say_where_the_job_lives(env_host: ProviderHost, emu: EmulatorServer) -> None:
    _, outs = launched(env_host)
    assert outs["effective_region"] == "us-east-1" and outs["effective_endpoint_url"] == emu.url
    assert outs["effective_account_id"] == ACCOUNT and outs["effective_role_arn"] == ""
    assert outs.get("region") is None and outs.get("endpoint_url") is None


@pytest.mark.parametrize(
    "stated",
    [
        {"region": "us-east-1"},
        {"endpoint_url": "EMULATOR"},
        {"endpoint_url": "EMULATOR/"},
        {"account_id": ACCOUNT},
        {"region": "us-east-1", "endpoint_url": "EMULATOR", "account_id": ACCOUNT},
    ],
)
def test_stating_the_effective_value_is_no_change(
    env_host: ProviderHost, emu: EmulatorServer, stated: dict[str, str]
) -> None:
    id_, outs = launched(env_host)
    emu.clear_calls()
    stated = {k: v.replace("EMULATOR", emu.url) for k, v in stated.items()}

    result = diff(env_host, id_, outs, **stated)

    assert (result.changes, result.replaces, result.delete_before_replace) == ("none", [], False)
    assert emu.calls() == []


@pytest.mark.parametrize(
    ("stated", "setting"),
    [
        ({"region": "us-west-2"}, "region"),
        ({"endpoint_url": "http://127.0.0.1:1"}, "endpoint_url"),
        ({"account_id": "444455556666"}, "account_id"),
        ({"role_arn": ROLE}, "role_arn"),
    ],
)
def test_a_real_difference_names_exactly_that_setting(
    env_host: ProviderHost, stated: dict[str, str], setting: str
) -> None:
    id_, outs = launched(env_host)
    result = diff(env_host, id_, outs, **stated)
    assert result.changed and result.replaces == [setting]
    assert result.delete_before_replace is True  # on_delete=terminate: the old launch goes first


def test_an_update_with_a_stated_region_keeps_the_job_where_it_is(env_host: ProviderHost, emu: EmulatorServer) -> None:
    id_, outs = launched(env_host)
    same = {k: outs[k] for k in ("source_server_ids", "poll_interval_seconds", "on_delete")}
    news = env_host.check(outs, {**same, "region": "us-east-1", "tags": {"wave": "2"}}).inputs
    result = env_host.diff(id_, outs, news)
    assert result.changed and result.replaces == []
    emu.clear_calls()

    updated = env_host.update(id_, outs, news)

    assert updated["job_id"] == id_ and updated["region"] == "us-east-1" and updated["tags"] == {"wave": "2"}
    assert updated["effective_endpoint_url"] == emu.url and mutating_calls(emu) == ["TagResource"]


@pytest.mark.parametrize(
    ("env", "config", "words"),
    [
        ({"AWS_ENDPOINT_URL_MGN": "http://127.0.0.1:4599"}, {"aws:region": "us-east-1"}, "AWS_ENDPOINT_URL_MGN is"),
        ({"AWS_ENDPOINT_URL": "http://127.0.0.1:4599"}, {"aws:region": "us-east-1"}, "AWS_ENDPOINT_URL is"),
        ({"AWS_REGION": "eu-west-1", "AWS_ENDPOINT_URL_MGN": "EMULATOR"}, {}, "AWS_REGION is 'eu-west-1'"),
    ],
)
def test_a_move_only_the_environment_makes_is_refused_before_anything_changes(
    env_host: ProviderHost, emu: EmulatorServer, env: dict[str, str], config: dict[str, str], words: str
) -> None:
    """The review's case: the shell running pulumi has other AWS_* variables than the one that launched the job."""
    from mgn_resources import CutoverProvider

    id_, outs = launched(env_host)
    emu.clear_calls()
    env = {k: v.replace("EMULATOR", emu.url) for k, v in env.items()}
    with ProviderHost(CutoverProvider(), env=env) as elsewhere:
        elsewhere.configure(config)
        news = elsewhere.check(outs, {k: outs[k] for k in ("source_server_ids", "poll_interval_seconds", "on_delete")})
        assert news.failures == []

        with pytest.raises(HostError) as refused:
            elsewhere.diff(id_, outs, news.inputs)

    sentence = refused.value.details.strip()
    assert len(sentence.splitlines()) == 1 and "Traceback" not in sentence  # the package error, as one sentence
    setting = "region" if "REGION" in words else "endpoint_url"
    assert sentence.startswith(f"{setting}: {id_} was launched with {setting} ")
    assert words in sentence and "to move the job deliberately" in sentence
    assert emu.calls() == []  # nothing reverted, nothing launched


def test_stating_the_setting_moves_the_job_whatever_the_environment(
    env_host: ProviderHost, emu: EmulatorServer
) -> None:
    from mgn_resources import CutoverProvider

    id_, outs = launched(env_host)
    env = {"AWS_REGION": "eu-west-1", "AWS_ENDPOINT_URL_MGN": emu.url}
    with ProviderHost(CutoverProvider(), env=env) as host:
        host.configure({})
        assert diff(host, id_, outs, region="us-east-1").changes == "none"
        moved = diff(host, id_, outs, region="eu-west-1")
        assert moved.replaces == ["region"] and moved.delete_before_replace is True
    with ProviderHost(CutoverProvider(), env=env) as host:
        host.configure({"aws:region": "eu-west-1"})
        assert diff(host, id_, outs).replaces == ["region"]


def test_the_global_endpoint_variable_is_recorded_as_where_the_job_lives(emu: EmulatorServer) -> None:
    from mgn_resources import CutoverProvider

    with ProviderHost(CutoverProvider(), env={"AWS_ENDPOINT_URL": emu.url}) as host:
        host.configure({"aws:region": "us-east-1"})
        id_, outs = launched(host)
        assert outs["effective_endpoint_url"] == emu.url  # botocore's AWS_ENDPOINT_URL, not "" (AWS itself)
        assert diff(host, id_, outs).changes == "none"
