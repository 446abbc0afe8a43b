"""Where a launch's calls go: each setting resolved as the input, else the stack config, else the environment.

The endpoint is the input, else what botocore's configured-endpoint chain gives an MGN client
(``AWS_ENDPOINT_URL_MGN``, ``AWS_ENDPOINT_URL``, the profile's ``endpoint_url``), else AWS's own ("").

``requested`` is what inputs ask for now; ``launched`` what a job was launched with (its ``effective_*``
outputs; state written before those outputs existed falls back to its inputs). diff compares the two, so
stating a value equal to the effective one is no change. No AWS call.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..aws import configured_endpoint

REGION_ENV = ("AWS_REGION", "AWS_DEFAULT_REGION")


@dataclass(frozen=True)
class StackSettings:
    """What the host's configure() hands over: only the aws:* keys this provider needs, no secrets."""

    region: str = ""
    profile: str = ""

    @classmethod
    def from_config(cls, config: Any) -> StackSettings:
        return cls(region=str(config.get("aws:region") or ""), profile=str(config.get("aws:profile") or ""))


@dataclass(frozen=True)
class Sourced:
    """A setting's value and where it came from (``region``, ``aws:region``, ``AWS_REGION``...), for messages."""

    value: str
    source: str


def region_of(props: Mapping[str, Any], stack: StackSettings) -> Sourced:
    if props.get("region"):
        return Sourced(str(props["region"]), "region")
    if stack.region:
        return Sourced(stack.region, "aws:region")
    for name in REGION_ENV:
        if os.environ.get(name):
            return Sourced(os.environ[name], name)
    return Sourced("", "")


def endpoint_of(props: Mapping[str, Any], stack: StackSettings) -> Sourced:
    if props.get("endpoint_url"):
        return Sourced(str(props["endpoint_url"]), "endpoint_url")
    configured = configured_endpoint(profile_of(stack))
    return Sourced(configured.url, configured.source)


def profile_of(stack: StackSettings) -> str:
    """The AWS profile the connection uses: ``aws:profile``, else ``AWS_PROFILE``."""
    return stack.profile or os.environ.get("AWS_PROFILE", "")


@dataclass(frozen=True)
class Effective:
    region: str  # "" when nothing sets one
    endpoint_url: str  # "" for AWS's own endpoint
    role_arn: str  # "" for the deploying identity itself
    account_id: str  # "" for the deploying identity's own account (when not known from the job)


def requested(props: Mapping[str, Any], stack: StackSettings) -> Effective:
    """What ``props`` (inputs) resolve to now."""
    return Effective(
        region=region_of(props, stack).value,
        endpoint_url=endpoint_of(props, stack).value,
        role_arn=str(props.get("role_arn") or ""),
        account_id=str(props.get("account_id") or ""),
    )


def launched(state: Mapping[str, Any], stack: StackSettings) -> Effective:
    """What the job in ``state`` (a resource's outputs) was launched with."""
    endpoint = state.get("effective_endpoint_url")  # resolved from the environment only for state without it
    return Effective(
        region=str(state.get("effective_region") or region_of(state, stack).value),
        endpoint_url=endpoint_of(state, stack).value if endpoint is None else str(endpoint),
        role_arn=str((state["effective_role_arn"] if "effective_role_arn" in state else state.get("role_arn")) or ""),
        account_id=str(
            state.get("effective_account_id") or state.get("account_id") or arn_account(state.get("job_arn"))
        ),
    )


def arn_account(arn: Any) -> str:
    """The account of an ARN (``arn:partition:service:region:account:resource``); "" if it has none."""
    parts = str(arn or "").split(":")
    return parts[4] if len(parts) > 5 and parts[0] == "arn" else ""
