"""A platform team's own program: one `Cutover` from the installed `mgn-cutover` package.

The region and the MGN endpoint come from the environment (``AWS_REGION`` / the stack's ``aws:region`` and
``AWS_ENDPOINT_URL_MGN``), as for any stack.
"""

import pulumi

from mgn_resources import Cutover, CutoverArgs

SERVERS = ["s-00000000000000001", "s-00000000000000002"]

cutover = Cutover(
    "payments",
    CutoverArgs(source_server_ids=SERVERS, tags={"wave": "payments"}, poll_interval_seconds=0.2),
)

pulumi.export("job_id", cutover.job_id)
pulumi.export("instance_ids", cutover.instance_ids)
