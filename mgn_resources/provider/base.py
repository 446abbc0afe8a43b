"""What every provider of this package shares: stateless pickling, the stack settings, the host adjustments, check."""

from __future__ import annotations

from typing import Any, ClassVar

from pulumi.dynamic import CheckFailure, CheckResult, ConfigureRequest, DiffResult, ResourceProvider

from ..lifecycle.check import check_inputs
from ..lifecycle.common import user_errors
from ..lifecycle.diffing import Diff
from ..lifecycle.effective import StackSettings
from ..quick_exit import exit_without_collecting
from ..schema import ResourceSchema
from .host_errors import plain_user_errors
from .host_lifetime import exit_with_engine
from .host_pool import widen_host_pool


class SchemaProvider(ResourceProvider):
    """Holds only the stack's aws:region and aws:profile; every client is built per process, never kept here."""

    schema: ClassVar[ResourceSchema]  # the inputs: check, defaults, what replaces and what updates

    def __init__(self) -> None:
        self.stack = StackSettings()

    def __getstate__(self) -> dict[str, Any]:
        # Pulumi stores the pickled provider in every resource's state: only the class's import path goes there.
        # The stack settings arrive in the host through configure().
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.stack = StackSettings()

    def configure(self, req: ConfigureRequest) -> None:
        self.stack = StackSettings.from_config(req.config)
        widen_host_pool()
        plain_user_errors()
        exit_with_engine()
        exit_without_collecting()

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        # A profile botocore cannot find or read is no input's fault: it stops check as its one sentence.
        checked = user_errors(lambda: check_inputs(self.schema, news, self.stack))
        return CheckResult(checked.inputs, [CheckFailure(f.property, f.reason) for f in checked.failures])


def diff_result(diff: Diff) -> DiffResult:
    """The lifecycle's Diff as the dynamic host's DiffResult."""
    return DiffResult(
        changes=diff.changes, replaces=diff.replaces, stables=[], delete_before_replace=diff.delete_before_replace
    )
