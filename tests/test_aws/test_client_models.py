"""A process's shared clients come with their paginator models read: launches starting together read none again."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from botocore.loaders import JSONFileLoader

from mgn_resources.aws.connection import Connection, build_client, ec2_client

LAUNCHES_TOGETHER = 20


@pytest.mark.parametrize(("service", "operation"), [("mgn", "describe_jobs"), ("ec2", "describe_instance_status")])
def test_launches_paginating_at_once_read_no_paginator_model(
    monkeypatch: pytest.MonkeyPatch, service: str, operation: str
) -> None:
    reads: list[str] = []
    load_file = JSONFileLoader.load_file

    def counted(self: JSONFileLoader, file_path: str) -> Any:
        if file_path.endswith("paginators-1"):
            reads.append(file_path)
        return load_file(self, file_path)

    monkeypatch.setattr(JSONFileLoader, "load_file", counted)
    connection = Connection(region="us-east-1", endpoint_url=f"http://127.0.0.1:9/{service}-paginators")
    client = build_client(connection) if service == "mgn" else ec2_client(connection)
    read_by_the_client = len(reads)
    together = threading.Barrier(LAUNCHES_TOGETHER)

    def paginate() -> None:
        together.wait()
        client.get_paginator(operation)

    threads = [threading.Thread(target=paginate) for _ in range(LAUNCHES_TOGETHER)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert read_by_the_client == 1
    assert len(reads) == 1, f"the paginator model was read again {len(reads) - 1} times by launches paginating at once"
