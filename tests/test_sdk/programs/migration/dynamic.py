"""Before the move: the dynamic resource (mgn_resources)."""

import pulumi

from mgn_resources import Cutover, CutoverArgs

config = pulumi.Config()
cutover = Cutover(
    "payments",
    CutoverArgs(source_server_ids=config.require_object("servers"), endpoint_url=config.require("endpointUrl")),
)
pulumi.export("jobId", cutover.job_id)
pulumi.export("instances", cutover.launched_instance_ids)
