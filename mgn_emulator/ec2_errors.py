"""EC2's error form on the wire: every EC2 answer the emulator makes itself (not moto's) goes through here.

EC2 is a query protocol service: errors are XML ``<Response><Errors><Error><Code>…`` documents, which botocore's
``ec2`` parser turns into a ``ClientError`` with that code. A JSON body would reach the client as an unparsable
response, so nothing on an EC2 route ever answers JSON.
"""

from __future__ import annotations

import uuid
from xml.sax.saxutils import escape

from mgn_emulator.responses import WireResponse


def ec2_error_response(status: int, code: str, message: str) -> WireResponse:
    """An EC2 error answer: ``status`` with an XML body naming ``code`` and ``message``."""
    request_id = str(uuid.uuid4())
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Response><Errors><Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error></Errors>"
        f"<RequestID>{request_id}</RequestID></Response>"
    )
    return WireResponse(
        status, body.encode(), {"Content-Type": "text/xml;charset=UTF-8", "x-amzn-RequestId": request_id}
    )
