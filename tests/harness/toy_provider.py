"""A tiny dynamic provider for the harness's self-test: importable, so dill stores it by reference."""

from __future__ import annotations

import os
import time
from typing import Any

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)


class ToyProvider(ResourceProvider):
    """Inputs: name (required, replaces), size (default 1), sleep (seconds create waits)."""

    region: str = ""

    def configure(self, req: ConfigureRequest) -> None:
        self.region = req.config.get("aws:region") or ""

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        failures = [] if news.get("name") else [CheckFailure("name", "name is required")]
        return CheckResult({**news, "size": news.get("size", 1)}, failures)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = [k for k in ("name", "size") if olds.get(k) != news.get(k)]
        return DiffResult(changes=bool(changed), replaces=[k for k in changed if k == "name"], stables=["name"])

    def create(self, props: dict[str, Any]) -> CreateResult:
        time.sleep(float(props.get("sleep", 0)))
        pulumi.log.info(f"toy create {props['name']}")
        return CreateResult(f"toy-{props['name']}", {**props, "region": self.region, "pid": os.getpid()})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        if props.get("gone"):
            return ReadResult("", {})
        return ReadResult(id_, {**props, "read": True})

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult({**news, "region": self.region, "updated_from": olds.get("size")})

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        if props.get("fail_delete"):
            raise RuntimeError(f"cannot delete {id_}")
        pulumi.log.info(f"toy delete {id_}")
