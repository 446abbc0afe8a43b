"""MGN's limits taken from botocore's service model, not copied by hand: what check refuses and how calls chunk."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from botocore.model import ListShape, MapShape, Shape, StructureShape

from .botodata import service_model


@dataclass(frozen=True)
class Limits:
    max_servers: int
    server_id_pattern: re.Pattern[str]
    max_tags: int
    tag_key_max: int
    tag_value_max: int
    account_id_pattern: re.Pattern[str]
    server_filter_max: int  # DescribeSourceServers filters.sourceServerIDs
    job_filter_max: int  # DescribeJobs filters.jobIDs
    application_id_pattern: re.Pattern[str]
    wave_id_pattern: re.Pattern[str]
    server_application_filter_max: int  # DescribeSourceServers filters.applicationIDs
    application_filter_max: int  # ListApplications filters.applicationIDs (and waveIDs)
    wave_filter_max: int  # ListWaves filters.waveIDs


def _filter(request: Shape | None, member: str) -> ListShape:
    """The ID list ``member`` of a Describe* request's ``filters``."""
    assert isinstance(request, StructureShape)
    filters = request.members["filters"]
    assert isinstance(filters, StructureShape)
    shape = filters.members[member]
    assert isinstance(shape, ListShape)
    return shape


@lru_cache(maxsize=1)
def model_limits() -> Limits:
    model = service_model("mgn")
    request = model.operation_model("StartCutover").input_shape
    assert request is not None
    members = request.members
    ids, tags = members["sourceServerIDs"], members["tags"]
    assert isinstance(ids, ListShape) and isinstance(tags, MapShape)
    account = model.shape_for("AccountID")
    return Limits(
        max_servers=int(ids.metadata["max"]),
        server_id_pattern=re.compile(ids.member.metadata["pattern"]),
        max_tags=int(tags.metadata["max"]),
        tag_key_max=int(tags.key.metadata["max"]),
        tag_value_max=int(tags.value.metadata["max"]),
        # The model's pattern (".*[0-9]{12,}.*") with its length of 12 means exactly twelve digits.
        account_id_pattern=re.compile(f"[0-9]{{{account.metadata['min']}}}"),
        server_filter_max=int(
            _filter(model.operation_model("DescribeSourceServers").input_shape, "sourceServerIDs").metadata["max"]
        ),
        job_filter_max=int(_filter(model.operation_model("DescribeJobs").input_shape, "jobIDs").metadata["max"]),
        application_id_pattern=re.compile(model.shape_for("ApplicationID").metadata["pattern"]),
        wave_id_pattern=re.compile(model.shape_for("WaveID").metadata["pattern"]),
        server_application_filter_max=int(
            _filter(model.operation_model("DescribeSourceServers").input_shape, "applicationIDs").metadata["max"]
        ),
        application_filter_max=int(
            _filter(model.operation_model("ListApplications").input_shape, "applicationIDs").metadata["max"]
        ),
        wave_filter_max=int(_filter(model.operation_model("ListWaves").input_shape, "waveIDs").metadata["max"]),
    )
