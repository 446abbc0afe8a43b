"""Where a resource's calls go: each setting resolved as the input, else the stack config, else the environment.

The region comes from the adapter's one resolver (``aws.region_setting``); the endpoint is the input, else what
botocore's configured-endpoint chain gives an MGN client (``AWS_ENDPOINT_URL_MGN``, ``AWS_ENDPOINT_URL``, the
profile's ``endpoint_url``), else AWS's own ("").

``requested`` is what inputs ask for now; ``launched`` what a resource was created with (its ``effective_*``
outputs, which every release writes). diff compares the two, so stating a value equal to the effective one is no
change. No AWS call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..aws import Sourced, check_profile, configured_endpoint, profile_setting, region_setting


@dataclass(frozen=True)
class StackSettings:
    """What the host's configure() hands over: only the aws:* keys this provider needs, no secrets."""

    region: str = ""
    profile: str = ""

    @classmethod
    def from_config(cls, config: Any) -> StackSettings:
        return cls(region=str(config.get("aws:region") or ""), profile=str(config.get("aws:profile") or ""))


def region_of(props: Mapping[str, Any], stack: StackSettings) -> Sourced:
    return region_setting(str(props.get("region") or ""), stack.region)


def endpoint_of(props: Mapping[str, Any], stack: StackSettings) -> Sourced:
    if props.get("endpoint_url"):
        return Sourced(str(props["endpoint_url"]), "endpoint_url")
    profile = profile_setting(stack.profile)
    configured = configured_endpoint(profile.value, profile.source)
    return Sourced(configured.url, configured.source)


def profile_of(stack: StackSettings) -> str:
    """The AWS profile the connection uses: ``aws:profile``, else ``AWS_PROFILE``."""
    return profile_setting(stack.profile).value


def usable_profile(stack: StackSettings) -> None:
    """A profile botocore cannot find or read raises its ``ConnectionSettingsError`` now (check, diff), not at the
    first call; reads ~/.aws/* only, no AWS call."""
    profile = profile_setting(stack.profile)
    check_profile(profile.value, profile.source)


@dataclass(frozen=True)
class Effective:
    region: str  # "" when nothing sets one
    endpoint_url: str  # "" for AWS's own endpoint
    role_arn: str  # "" for the deploying identity itself
    account_id: str  # see the resources' ``effective_account_id``


def requested(props: Mapping[str, Any], stack: StackSettings) -> Effective:
    """What ``props`` (inputs) resolve to now."""
    return Effective(
        region=region_of(props, stack).value,
        endpoint_url=endpoint_of(props, stack).value,
        role_arn=str(props.get("role_arn") or ""),
        account_id=str(props.get("account_id") or ""),
    )


def launched(state: Mapping[str, Any]) -> Effective:
    """What the resource in ``state`` (its outputs) was created with."""
    return Effective(
        region=str(state.get("effective_region") or ""),
        endpoint_url=str(state.get("effective_endpoint_url") or ""),
        role_arn=str(state.get("effective_role_arn") or ""),
        account_id=str(state.get("effective_account_id") or ""),
    )


def arn_account(arn: Any) -> str:
    """The account of an ARN (``arn:partition:service:region:account:resource``); "" if it has none."""
    parts = str(arn or "").split(":")
    return parts[4] if len(parts) > 5 and parts[0] == "arn" else ""
