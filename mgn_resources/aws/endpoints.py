"""The endpoint botocore gives an MGN client that is passed no ``endpoint_url``: its configured-endpoint chain.

botocore looks, in order, at ``AWS_ENDPOINT_URL_MGN``, ``AWS_ENDPOINT_URL``, the profile's ``services`` section and
the profile's ``endpoint_url``, unless ``ignore_configured_endpoint_urls`` (or its variable) is set. This runs
botocore's own chain (the one ``Session.create_client`` installs), so diff and check see what a client would use,
without building a client and without any network call. ``tests/test_aws/test_endpoints.py`` compares it with
``client.meta.endpoint_url`` for every source, so a botocore change that breaks it fails a test.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass

import botocore.session
from botocore.configprovider import ConfiguredEndpointProvider
from botocore.exceptions import BotoCoreError

from .errors import CONFIG_ERRORS, profile_error

MGN_ENDPOINT_ENV = "AWS_ENDPOINT_URL_MGN"
GLOBAL_ENDPOINT_ENV = "AWS_ENDPOINT_URL"
ENDPOINT_ENV = (MGN_ENDPOINT_ENV, GLOBAL_ENDPOINT_ENV)
CONFIG_FILES = (("AWS_CONFIG_FILE", "~/.aws/config"), ("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"))


@dataclass(frozen=True)
class ConfiguredEndpoint:
    url: str  # "" when botocore would use its own endpoint for the region
    source: str  # AWS_ENDPOINT_URL_MGN, AWS_ENDPOINT_URL, "the endpoint_url of profile NAME", or ""


def configured_endpoint(profile: str, source: str = "") -> ConfiguredEndpoint:
    """Where an MGN client of ``profile`` (``""``: the default profile) sends its calls when given no endpoint_url.

    A profile botocore cannot find or read (``source``: ``aws:profile`` or ``AWS_PROFILE``, for the message) is a
    :class:`ConnectionSettingsError`: creating the client would fail the same way."""
    return _configured_endpoint(profile, source, _botocore_inputs())


def check_profile(profile: str, source: str = "") -> None:
    """Raise the :class:`ConnectionSettingsError` a client of ``profile`` would meet if botocore cannot find or read
    it (``""``: whatever AWS_PROFILE names, else the default profile). Reads ~/.aws/* only; no AWS call."""
    _check_profile(profile, source, _botocore_inputs())


def _botocore_inputs() -> tuple[object, ...]:
    """What botocore's reading of a profile depends on: the AWS_* environment and the two files as they are now.

    A botocore Session costs ~5 ms to build, and check builds one per resource, in the engine's serial pass over the
    program's resources: the answers below are kept until one of these inputs changes (failures are never kept)."""
    environment = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("AWS_") or k == "HOME"))
    files = tuple(_file_state(os.environ.get(variable) or default) for variable, default in CONFIG_FILES)
    return environment, files


def _file_state(path: str) -> tuple[int, int, int] | None:
    try:
        state = os.stat(os.path.expanduser(path))
    except OSError:
        return None
    return state.st_mtime_ns, state.st_size, state.st_ino


@functools.lru_cache(maxsize=32)
def _configured_endpoint(profile: str, source: str, _inputs: tuple[object, ...]) -> ConfiguredEndpoint:
    session = botocore.session.Session(profile=profile or None)
    try:
        full, scoped = session.full_config, session.get_scoped_config()
        if session.get_config_variable("ignore_configured_endpoint_urls"):
            return ConfiguredEndpoint("", "")
        url = ConfiguredEndpointProvider(full_config=full, scoped_config=scoped, client_name="mgn").provide() or ""
    except CONFIG_ERRORS as exc:
        raise profile_error(exc, profile, source) or exc from exc
    except BotoCoreError:  # a missing services section: creating the client reports it, naming it
        url = ConfiguredEndpointProvider(full_config={}, scoped_config={}, client_name="mgn").provide() or ""
    return ConfiguredEndpoint(str(url), _source(profile) if url else "")


@functools.lru_cache(maxsize=32)
def _check_profile(profile: str, source: str, _inputs: tuple[object, ...]) -> None:
    try:
        botocore.session.Session(profile=profile or None).get_scoped_config()
    except CONFIG_ERRORS as exc:
        raise profile_error(exc, profile, source) or exc from exc


def _source(profile: str) -> str:
    for name in ENDPOINT_ENV:  # botocore's order: the first set one is the one it used
        if os.environ.get(name):
            return name
    return f"the endpoint_url of AWS profile {profile or 'default'}"
