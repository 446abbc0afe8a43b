"""The endpoint an MGN client takes when passed none is botocore's configured-endpoint chain: AWS_ENDPOINT_URL_MGN,
then AWS_ENDPOINT_URL, then the profile's services section, then the profile's endpoint_url. configured_endpoint
must agree with what a real client resolves (client.meta.endpoint_url) for each source, and name the source."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest

from mgn_resources.aws import ConfiguredEndpoint, check_profile, configured_endpoint
from mgn_resources.errors import ConnectionSettingsError

MGN_URL, GLOBAL_URL, SERVICE_URL, PROFILE_URL = (f"http://127.0.0.1:{port}" for port in (4601, 4602, 4603, 4604))
CONFIG = f"""
[default]
region = us-east-1

[profile services]
services = local

[profile global]
endpoint_url = {PROFILE_URL}

[profile both]
services = local
endpoint_url = {PROFILE_URL}

[profile ignoring]
services = local
ignore_configured_endpoint_urls = true

[services local]
mgn =
  endpoint_url = {SERVICE_URL}
"""


@pytest.fixture(autouse=True)
def config_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "config"
    path.write_text(CONFIG)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(path))


def client_url(profile: str) -> str:
    session = boto3.Session(profile_name=profile or None, region_name="us-east-1")
    return str(session.client("mgn").meta.endpoint_url)


@pytest.mark.parametrize(
    ("env", "profile", "url", "source"),
    [
        ({}, "", "", ""),
        ({"AWS_ENDPOINT_URL_MGN": MGN_URL, "AWS_ENDPOINT_URL": GLOBAL_URL}, "both", MGN_URL, "AWS_ENDPOINT_URL_MGN"),
        ({"AWS_ENDPOINT_URL": GLOBAL_URL}, "both", GLOBAL_URL, "AWS_ENDPOINT_URL"),
        ({}, "services", SERVICE_URL, "the endpoint_url of AWS profile services"),
        ({}, "both", SERVICE_URL, "the endpoint_url of AWS profile both"),
        ({}, "global", PROFILE_URL, "the endpoint_url of AWS profile global"),
        ({"AWS_ENDPOINT_URL": GLOBAL_URL}, "ignoring", "", ""),
        ({"AWS_ENDPOINT_URL_MGN": MGN_URL, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}, "", "", ""),
    ],
)
def test_the_configured_endpoint_is_the_one_a_client_uses(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], profile: str, url: str, source: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    found = configured_endpoint(profile)

    assert (found.url, found.source) == (url, source)
    assert client_url(profile) == (url or "https://mgn.us-east-1.amazonaws.com")


def test_a_missing_profile_is_one_sentence_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", GLOBAL_URL)
    with pytest.raises(ConnectionSettingsError, match="AWS profile 'no-such-profile' \\(from aws:profile\\)"):
        configured_endpoint("no-such-profile", "aws:profile")


def test_an_edit_of_the_config_file_or_the_environment_is_seen_by_the_next_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The answers are kept between reads (botocore builds a session for each, check reads one per resource), never
    past a change of what they depend on."""
    assert configured_endpoint("global").url == PROFILE_URL
    path = tmp_path / "config"
    path.write_text(CONFIG.replace(PROFILE_URL, GLOBAL_URL) + "\n[profile added]\nregion = eu-west-1\n")
    assert configured_endpoint("global").url == GLOBAL_URL
    check_profile("added")  # a profile the edit added is found

    monkeypatch.setenv("AWS_ENDPOINT_URL_MGN", MGN_URL)
    assert configured_endpoint("global") == ConfiguredEndpoint(MGN_URL, "AWS_ENDPOINT_URL_MGN")

    path.write_text(CONFIG)
    with pytest.raises(ConnectionSettingsError, match="'added'"):
        check_profile("added", "aws:profile")  # and one it removed is missing again
