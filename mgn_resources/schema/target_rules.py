"""The rules of LaunchSettings' inputs: enums from botocore's MGN and EC2 models, EC2's ID and tag formats."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any

from ..aws.limits import model_limits
from ..aws.target_model import model_enum
from ..errors import shown
from .rules import has_control_characters

SUBNET_ID = re.compile(r"subnet-[0-9a-f]{8,17}")
SECURITY_GROUP_ID = re.compile(r"sg-[0-9a-f]{8,17}")
INSTANCE_PROFILE = re.compile(r"(arn:[a-z0-9-]+:iam::[0-9]{12}:instance-profile/)?[\w+=,.@/-]{1,128}")
EC2_MAX_TAGS = 50  # EC2's limits on a resource's user tags (the EC2 model states none)
EC2_TAG_KEY_MAX = 128
EC2_TAG_VALUE_MAX = 256


class SourceServerId:
    text = "`s-` + 17 letters or digits"

    def __call__(self, value: Any) -> str:
        pattern = model_limits().server_id_pattern
        if isinstance(value, str) and pattern.fullmatch(value):
            return ""
        return f"{shown(value)} is not a source server ID"


@dataclass(frozen=True)
class ModelEnum:
    """One of the values botocore's model lists for ``shape`` (checked offline, against the installed botocore)."""

    service: str
    shape: str
    example: str

    @property
    def text(self) -> str:
        return f"a value of botocore's {self.service.upper()} `{self.shape}` (e.g. `{self.example}`)"

    def __call__(self, value: Any) -> str:
        allowed = model_enum(self.service, self.shape)
        if isinstance(value, str) and value in allowed:
            return ""
        listed = ", ".join(allowed) if len(allowed) <= 8 else f"for example {self.example}"
        return f"{shown(value)} is not a value of {self.shape} in botocore's {self.service.upper()} model ({listed})"


@dataclass(frozen=True)
class Ids:
    """A list of unique IDs matching ``pattern``."""

    pattern: re.Pattern[str]
    what: str  # "security group IDs (sg-...)"
    maximum: int = 5

    @property
    def text(self) -> str:
        return f"1 to {self.maximum} unique {self.what}"

    def __call__(self, value: Any) -> str:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f"must be a list of {self.what}"
        bad = [v for v in value if not self.pattern.fullmatch(v)]
        if bad:
            return f"{shown(bad[0])} is not one of {self.what}"
        if not value or len(value) > self.maximum or len(set(value)) != len(value):
            return f"list 1 to {self.maximum} unique {self.what}"
        return ""


class Ipv4:
    text = "an IPv4 address in the subnet"

    def __call__(self, value: Any) -> str:
        try:  # a string only: IPv4Address also takes integers and packed bytes, which EC2 does not
            ipaddress.IPv4Address(value if isinstance(value, str) else None)
        except (ipaddress.AddressValueError, ValueError, TypeError):
            return f"{shown(value)} is not an IPv4 address"
        return ""


class InstanceTags:
    text = (
        f"up to {EC2_MAX_TAGS}, keys 1 to {EC2_TAG_KEY_MAX} characters (no `aws:` prefix), values up to "
        f"{EC2_TAG_VALUE_MAX}; no control characters"
    )

    def __call__(self, value: Any) -> str:
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            return "must map strings to strings"
        if len(value) > EC2_MAX_TAGS:
            return f"{len(value)} tags is over EC2's limit of {EC2_MAX_TAGS}"
        for key, text in value.items():
            if not key or len(key) > EC2_TAG_KEY_MAX or key.lower().startswith("aws:"):
                return f"tag key {shown(key)} must be 1 to {EC2_TAG_KEY_MAX} characters and not start with aws:"
            if len(text) > EC2_TAG_VALUE_MAX or has_control_characters(key + text):
                return (
                    f"tag {shown(key)}: the value must be up to {EC2_TAG_VALUE_MAX} characters, no control characters"
                )
        return ""
