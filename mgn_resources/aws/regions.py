"""Where MGN is served: regions and partitions from botocore's endpoint and partition data, not from memory."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .botodata import data_session

SERVICE = "mgn"


@lru_cache(maxsize=1)
def _partitions() -> tuple[dict[str, Any], ...]:
    return tuple(data_session().get_data("partitions")["partitions"])


def partitions() -> tuple[str, ...]:
    """The ARN partitions botocore knows: aws, aws-cn, aws-us-gov, aws-iso, ..."""
    return tuple(str(p["id"]) for p in _partitions())


def partition_of(region: str) -> str:
    """The partition a region belongs to by botocore's data (its list, else its pattern); "" if none claims it."""
    for partition in _partitions():
        if region in partition["regions"] or re.fullmatch(partition["regionRegex"], region):
            return str(partition["id"])
    return ""


@lru_cache(maxsize=1)
def mgn_regions() -> frozenset[str]:
    """Every region where botocore's endpoint data lists MGN, across partitions."""
    session = data_session()
    return frozenset(r for p in partitions() for r in session.get_available_regions(SERVICE, p))


def serves_mgn(region: str) -> bool:
    return region in mgn_regions()
