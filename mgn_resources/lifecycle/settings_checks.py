"""check, for what only makes sense together: region and endpoint, the role's partition, finalize and on_delete.

Regions and partitions come from botocore's data; unset settings are filled in from the stack config and the
environment, as the provider will resolve them. No AWS call.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from ..aws.regions import mgn_regions, partition_of, partitions, serves_mgn
from ..errors import shown
from ..schema.inputs import REVERT, TERMINATE
from ..schema.rules import endpoint_problem
from .common import is_unknown
from .effective import StackSettings, endpoint_of, region_of

UNDOES_A_CUTOVER = (REVERT, TERMINATE)


def settings_failures(inputs: Mapping[str, Any], stack: StackSettings) -> list[tuple[str, str]]:
    """(input, reason) for each combination of settings that cannot work."""
    failures = [*_endpoint_from_environment(inputs, stack), *_region(inputs, stack), *_role_partition(inputs, stack)]
    if inputs.get("finalize") is True and inputs.get("on_delete") in UNDOES_A_CUTOVER:  # a cutover's inputs
        failures.append(
            (
                "on_delete",
                f"{shown(inputs['on_delete'])} cannot undo a finalized cutover (finalize is true) and destroy would "
                "fail; set on_delete to retain, or finalize to false",
            )
        )
    return failures


def _endpoint_from_environment(inputs: Mapping[str, Any], stack: StackSettings) -> list[tuple[str, str]]:
    """An endpoint botocore would take from AWS_ENDPOINT_URL_MGN, AWS_ENDPOINT_URL or the profile must be usable."""
    if _unknown(inputs, "endpoint_url") or inputs.get("endpoint_url"):
        return []
    endpoint = endpoint_of(inputs, stack)
    problem = endpoint_problem(endpoint.value) if endpoint.value else ""
    return [("endpoint_url", f"{endpoint.source} is unusable: {problem}")] if problem else []


def _region(inputs: Mapping[str, Any], stack: StackSettings) -> list[tuple[str, str]]:
    if _unknown(inputs, "region", "endpoint_url"):
        return []
    region = region_of(inputs, stack)
    if not region.value:
        return [("region", "No AWS region is set for MGN: set region, `pulumi config set aws:region <region>`, "
                           "or AWS_REGION")]
    if serves_mgn(region.value) or endpoint_of(inputs, stack).value:
        return []
    named = f"{region.source} is {shown(region.value)}" if region.source != "region" else shown(region.value)
    close = difflib.get_close_matches(region.value, sorted(mgn_regions()), n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return [
        (
            "region",
            f"{named} is not a region where MGN is served according to botocore's data{hint}; fix it, or set "
            "endpoint_url if you reach MGN there through an endpoint botocore does not know yet",
        )
    ]


def _role_partition(inputs: Mapping[str, Any], stack: StackSettings) -> list[tuple[str, str]]:
    role = inputs.get("role_arn")
    if not isinstance(role, str) or not role.startswith("arn:") or _unknown(inputs, "region"):
        return []
    partition = role.split(":")[1]
    if partition not in partitions():
        return [
            (
                "role_arn",
                f"{shown(role)} names partition {shown(partition)}, which botocore does not know "
                f"(known: {', '.join(partitions())})",
            )
        ]
    region = region_of(inputs, stack).value
    home = partition_of(region) if region else ""
    if home and home != partition:
        return [("role_arn", f"{shown(role)} is in partition {partition}, but region {region} is in {home}")]
    return []


def _unknown(inputs: Mapping[str, Any], *keys: str) -> bool:
    return any(is_unknown(inputs.get(k)) for k in keys)
