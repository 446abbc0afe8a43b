"""The README's "use it in your own stack" example runs as written and wires instances to downstream resources."""

from __future__ import annotations

import re
from typing import Any

import pulumi

from tests.harness.host import REPO_ROOT
from tests.harness.program import FakeLaunchMocks, run_program

PRIVATE_IP = "10.1.2.3"


def readme_example() -> str:
    text = (REPO_ROOT / "README.md").read_text()
    section = text.split("## Using `mgn_resources` in your own stack", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found, "the README lost its example"
    return found.group(1)


class ExampleMocks(FakeLaunchMocks):
    def call(self, args: pulumi.runtime.MockCallArgs) -> Any:
        if args.token == "aws:ec2/getInstance:getInstance":
            return {"id": args.args["instanceId"], "privateIp": PRIVATE_IP}
        return {}


def test_the_readme_example_feeds_instances_to_dns_load_balancer_and_tags() -> None:
    source = readme_example()
    config = {"mgn-cutover:zoneId": "Z123", "mgn-cutover:targetGroupArn": "arn:aws:elasticloadbalancing:tg/web"}

    run = run_program(config, ExampleMocks(), program=lambda: exec(compile(source, "README.md", "exec"), {}))

    cutover = run.by_name("payments")
    assert run.depends_on("payments") == ["payments-test"]
    assert cutover.inputs["require_successful_test"] is True and cutover.inputs["finalize"] is True
    record = run.by_name("payments-db").inputs
    assert record["records"] == [PRIVATE_IP] and record["zoneId"] == "Z123"
    attachment = run.by_name("payments-web").inputs
    tag = run.by_name("payments-db-wave").inputs
    assert attachment["targetId"].startswith("i-") and tag["resourceId"].startswith("i-")
    assert attachment["targetId"] != tag["resourceId"]  # the first server's instance vs the second's
    assert run.exports["payments_job"].startswith("mgnjob-")
