"""The call log: every MGN request the emulator answered, in order (admin requests are not logged)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mgn_resources.clock import iso8601


@dataclass(frozen=True)
class CallRecord:
    operation: str
    body: dict[str, Any]
    time: datetime
    status: int
    access_key: str = ""  # the signing access key ID (never the secret), to tell callers apart
    user_agent: str = ""
    region: str = ""  # the region the request was signed for ("" if it was not signed)
    account_id: str = ""  # the account whose backend answered ("" if none did)
    service: str = "mgn"  # the signing name: "mgn", or "ec2" for the EC2 requests served by moto

    def to_dict(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "body": self.body,
            "time": iso8601(self.time),
            "status": self.status,
            "access_key": self.access_key,
            "user_agent": self.user_agent,
            "region": self.region,
            "account_id": self.account_id,
            "service": self.service,
        }


class CallLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[CallRecord] = []

    def record(self, record: CallRecord) -> None:
        with self._lock:
            self._records.append(record)

    def records(self) -> list[CallRecord]:
        with self._lock:
            return list(self._records)

    def count(self, operation: str | None = None) -> int:
        with self._lock:
            return sum(1 for r in self._records if operation is None or r.operation == operation)

    def clear(self) -> None:
        with self._lock:
            self._records.clear()
