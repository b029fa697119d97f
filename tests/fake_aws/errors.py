"""Error answers: ApiError (the modelled error name, message and HTTP status) and its shape
on the wire in each protocol (SSM JSON 1.1, EC2 query XML, STS query XML).
"""
import uuid
from xml.sax.saxutils import escape

from wire import STS_NS


class ApiError(Exception):
    """An error answer: code is the modelled error name (__type / <Code>)."""

    def __init__(self, code, message="", status=400, sender=True):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.sender = sender


def validation(message):
    return ApiError("ValidationException", "1 validation error detected: " + message)


def send_error(h, service, err):
    """Answers err in service's protocol through the handler h."""
    rid = str(uuid.uuid4())
    if service in ("ssm", "ecr"):
        body = {"__type": err.code}
        if err.message:
            body["message"] = err.message
        return h._json(err.status, body, "application/x-amz-json-1.1",
                       {"x-amzn-RequestId": rid})
    e = escape
    if service == "ec2":
        xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
               f"<Code>{e(err.code)}</Code><Message>{e(err.message)}</Message></Error>"
               f"</Errors><RequestID>{rid}</RequestID></Response>")
        return h._send(err.status, xml, "text/xml;charset=UTF-8")
    kind = "Sender" if err.sender else "Receiver"
    xml = (f'<ErrorResponse xmlns="{STS_NS}"><Error><Type>{kind}</Type>'
           f"<Code>{e(err.code)}</Code><Message>{e(err.message)}</Message></Error>"
           f"<RequestId>{rid}</RequestId></ErrorResponse>")
    return h._send(err.status, xml, "text/xml")
