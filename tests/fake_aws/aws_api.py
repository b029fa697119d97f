"""AWS API requests: which service and operation a request is (X-Amz-Target JSON or query
Action/Version), authentication, throttling fault injection, the per-service success
envelope, and the call log the control API reports.
"""
import json
import time
import urllib.parse
import uuid

from auth import authenticate
from ec2_api import ec2_describe_instances
from ecr_api import ecr_call
from errors import ApiError, send_error
from sts_api import sts_assume_role, sts_get_caller_identity
from wire import EC2_NS, STS_NS


def serve_aws_api(h):
    body = h._body()
    target = h.headers.get("X-Amz-Target")
    params = {}
    if target:
        prefix, _, op = target.partition(".")
        service = {"AmazonSSM": "ssm", "AmazonEC2ContainerRegistry_V20150921": "ecr"}.get(prefix)
        if service is None:
            return h._json(400, {"__type": "UnknownOperationException"},
                           "application/x-amz-json-1.1")
    else:
        query = urllib.parse.urlsplit(h.path).query
        params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
        ctype = h.headers.get("Content-Type", "")
        if body and "x-www-form-urlencoded" in ctype:
            params.update(urllib.parse.parse_qsl(body.decode("utf-8", "replace"),
                                                 keep_blank_values=True))
        op = params.get("Action", "")
        version = params.get("Version", "")
        if version == "2016-11-15" or op == "DescribeInstances":
            service = "ec2"
        elif version == "2011-06-15" or op in ("AssumeRole", "GetCallerIdentity"):
            service = "sts"
        else:
            return h._send(404, "not found\n", "text/plain")
    ctx = {"service": service, "operation": op, "region": "", "access_key_id": "",
           "arn": "", "time": time.time()}
    try:
        caller = authenticate(h, service, body, ctx)
        ctx["arn"] = caller.arn
        with h.st.lock:
            h.st.api_calls += 1
            n = int(h.st.config.get("throttle_every") or 0)
            throttled = n > 0 and h.st.api_calls % n == 0
            throttled = take_bucket_token(h.st) or throttled
        if throttled:
            raise {"ssm": ApiError("ThrottlingException", "Rate exceeded"),
                   "sts": ApiError("Throttling", "Rate exceeded"),
                   "ecr": ApiError("ThrottlingException", "Rate exceeded"),
                   "ec2": ApiError("RequestLimitExceeded", "Request limit exceeded.",
                                   status=503)}[service]
        if service in ("ssm", "ecr"):
            try:
                req = json.loads(body or b"{}")
            except json.JSONDecodeError:
                raise ApiError("SerializationException", "Invalid JSON in request body.")
            if service == "ecr":
                result = ecr_call(h.st, op, req, ctx)
            else:
                result = h.server.ssm.call(op, req, ctx)
            record(h, ctx, 200)
            return h._json(200, result, "application/x-amz-json-1.1",
                           {"x-amzn-RequestId": str(uuid.uuid4())})
        if service == "ec2":
            if op != "DescribeInstances":
                raise ApiError("InvalidAction", f"The action {op} is not valid for this "
                               "web service.")
            inner = ec2_describe_instances(h.st, params)
            rid = str(uuid.uuid4())
            xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<DescribeInstancesResponse '
                   f'xmlns="{EC2_NS}"><requestId>{rid}</requestId>{inner}'
                   "</DescribeInstancesResponse>")
            record(h, ctx, 200)
            return h._send(200, xml, "text/xml;charset=UTF-8")
        if op == "AssumeRole":
            inner = sts_assume_role(h.st, params, caller)
        elif op == "GetCallerIdentity":
            inner = sts_get_caller_identity(caller)
        else:
            raise ApiError("InvalidAction", f"Could not find operation {op} for version "
                           "2011-06-15")
        xml = (f'<{op}Response xmlns="{STS_NS}">{inner}<ResponseMetadata><RequestId>'
               f"{uuid.uuid4()}</RequestId></ResponseMetadata></{op}Response>")
        record(h, ctx, 200)
        return h._send(200, xml, "text/xml")
    except ApiError as err:
        record(h, ctx, err.status, err.code)
        return send_error(h, service, err)


def take_bucket_token(st):
    """AWS's own throttling rule (EC2 documents it): a token bucket of `size` tokens refilled
    at `per_second`; a call takes one token, and with none left it is throttled. Called with
    st.lock held; True when this call is throttled."""
    bucket = st.config.get("throttle_bucket")
    if not bucket:
        return False
    now = time.monotonic()
    st.bucket_tokens = min(float(bucket["size"]),
                           st.bucket_tokens + (now - st.bucket_time) * float(bucket["per_second"]))
    st.bucket_time = now
    if st.bucket_tokens >= 1.0:
        st.bucket_tokens -= 1.0
        return False
    return True


def record(h, ctx, status, error=None):
    entry = {"service": ctx["service"], "operation": ctx["operation"], "status": status,
             "access_key_id": ctx["access_key_id"], "region": ctx["region"],
             "time": ctx.get("time", time.time()),  # when the request arrived
             "peer_port": h.client_address[1]}  # the client's connection
    if error:
        entry["error"] = error
    with h.st.lock:
        h.st.calls.append(entry)
