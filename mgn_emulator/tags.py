"""TagResource / UntagResource / ListTagsForResource: tags live on job, source-server, application and wave ARNs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from mgn_emulator import spec
from mgn_emulator.exceptions import FieldProblem, ResourceNotFoundError, ValidationError
from mgn_emulator.part import BackendPart


class TagsMixin(BackendPart):
    """The tag operations of :class:`MgnBackend` (which provides the state, the lock and ``_touch``)."""

    account_id: str
    region: str

    def _taggable(self) -> dict[str, dict[str, Any]]:
        """The resources each ARN kind (``...:<kind>/<id>``) names."""
        return {
            "job": self._jobs,
            "source-server": self._servers,
            "application": self._applications,
            "wave": self._waves,
        }

    def _tagged(self, arn: str) -> tuple[str, str]:
        parts = arn.split(":", 5)
        ours = len(parts) == 6 and parts[2:5] == ["mgn", self.region, self.account_id]
        kind, _, resource_id = parts[5].partition("/") if ours else ("", "", "")
        if resource_id in self._taggable().get(kind, {}):
            return kind, resource_id
        raise ResourceNotFoundError(f"Resource {arn} does not exist", resource_id=arn, resource_type=kind or "ARN")

    def _set_tags(self, kind: str, resource_id: str, tags: Mapping[str, str]) -> None:
        resources = self._taggable()[kind]
        resources[resource_id] = replace(resources[resource_id], tags=dict(tags))
        self._touch()

    def _get_tags(self, kind: str, resource_id: str) -> Mapping[str, str]:
        tags: Mapping[str, str] = self._taggable()[kind][resource_id].tags
        return tags

    def tag_resource(self, arn: str, tags: Mapping[str, str]) -> dict[str, Any]:
        with self.lock:
            kind, resource_id = self._tagged(arn)
            merged = {**self._get_tags(kind, resource_id), **tags}
            limit = _max_tags()
            if len(merged) > limit:
                message = f"{arn} would have {len(merged)} tags; a resource holds at most {limit}"
                raise ValidationError(message, reason="fieldValidationFailed", fields=[FieldProblem("tags", message)])
            self._set_tags(kind, resource_id, merged)
            return {}

    def untag_resource(self, arn: str, keys: Sequence[str]) -> dict[str, Any]:
        with self.lock:
            kind, resource_id = self._tagged(arn)
            kept = {k: v for k, v in self._get_tags(kind, resource_id).items() if k not in set(keys)}
            self._set_tags(kind, resource_id, kept)
            return {}

    def list_tags_for_resource(self, arn: str) -> dict[str, Any]:
        with self.lock:
            kind, resource_id = self._tagged(arn)
            return {"tags": dict(self._get_tags(kind, resource_id))}


def _max_tags() -> int:
    """The model's TagsMap maximum (50), which bounds a resource's tags as well as one request's."""
    request = spec.operation("TagResource").input_shape
    assert request is not None
    return int(request.members["tags"].metadata["max"])
