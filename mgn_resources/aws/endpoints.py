"""The endpoint botocore gives an MGN client that is passed no ``endpoint_url``: its configured-endpoint chain.

botocore looks, in order, at ``AWS_ENDPOINT_URL_MGN``, ``AWS_ENDPOINT_URL``, the profile's ``services`` section and
the profile's ``endpoint_url``, unless ``ignore_configured_endpoint_urls`` (or its variable) is set. This runs
botocore's own chain (the one ``Session.create_client`` installs), so diff and check see what a client would use,
without building a client and without any network call. ``tests/test_aws/test_endpoints.py`` compares it with
``client.meta.endpoint_url`` for every source, so a botocore change that breaks it fails a test.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import botocore.session
from botocore.configprovider import ConfiguredEndpointProvider
from botocore.exceptions import BotoCoreError

from .errors import CONFIG_ERRORS, profile_error

MGN_ENDPOINT_ENV = "AWS_ENDPOINT_URL_MGN"
GLOBAL_ENDPOINT_ENV = "AWS_ENDPOINT_URL"
ENDPOINT_ENV = (MGN_ENDPOINT_ENV, GLOBAL_ENDPOINT_ENV)


@dataclass(frozen=True)
class ConfiguredEndpoint:
    url: str  # "" when botocore would use its own endpoint for the region
    source: str  # AWS_ENDPOINT_URL_MGN, AWS_ENDPOINT_URL, "the endpoint_url of profile NAME", or ""


def configured_endpoint(profile: str, source: str = "") -> ConfiguredEndpoint:
    """Where an MGN client of ``profile`` (``""``: the default profile) sends its calls when given no endpoint_url.

    A profile botocore cannot find or read (``source``: ``aws:profile`` or ``AWS_PROFILE``, for the message) is a
    :class:`ConnectionSettingsError`: creating the client would fail the same way."""
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


def check_profile(profile: str, source: str = "") -> None:
    """Raise the :class:`ConnectionSettingsError` a client of ``profile`` would meet if botocore cannot find or read
    it (``""``: whatever AWS_PROFILE names, else the default profile). Reads ~/.aws/* only; no AWS call."""
    try:
        botocore.session.Session(profile=profile or None).get_scoped_config()
    except CONFIG_ERRORS as exc:
        raise profile_error(exc, profile, source) or exc from exc


def _source(profile: str) -> str:
    for name in ENDPOINT_ENV:  # botocore's order: the first set one is the one it used
        if os.environ.get(name):
            return name
    return f"the endpoint_url of AWS profile {profile or 'default'}"
