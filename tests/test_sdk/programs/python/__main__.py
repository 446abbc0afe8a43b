"""A program on the generated Python SDK (sdk/python, ``pulumi_mgn``): one Cutover on an explicit provider, run by
tests/test_sdk/test_python_e2e.py through the pulumi CLI against the emulator."""

import pulumi
import pulumi_mgn as mgn

config = pulumi.Config()
provider = mgn.Provider("mgn", endpoint_url=config.require("endpointUrl"), region="us-east-1")
cutover = mgn.Cutover(
    "cutover",
    source_server_ids=config.require_object("servers"),
    opts=pulumi.ResourceOptions(provider=provider),
)

pulumi.export("jobId", cutover.job_id)
pulumi.export("instances", cutover.launched_instance_ids)
# The typed output objects: ServerLaunch's attributes are snake_case.
pulumi.export("servers", cutover.servers.apply(lambda servers: {s.source_server_id: s.instance_id for s in servers}))
