"""After the move: the plugin's resource (pulumi_mgn), imported by the job ID the dynamic resource had."""

import pulumi
import pulumi_mgn as mgn

config = pulumi.Config()
provider = mgn.Provider("mgn", endpoint_url=config.require("endpointUrl"), region="us-east-1")
cutover = mgn.Cutover(
    "payments",
    source_server_ids=config.require_object("servers"),
    opts=pulumi.ResourceOptions(provider=provider, import_=config.get("importJobId")),
)
pulumi.export("jobId", cutover.job_id)
pulumi.export("instances", cutover.launched_instance_ids)
