"""The metadata credential sources: IMDSv2 (session tokens, role name, role credentials,
instance id, region) and the container credentials endpoint, both handing out credentials
that are re-issued ahead of expiry.
"""
import secrets
import time

from wire import ACCOUNT_ID, iso


def serve_imds(h, path):
    st = h.st
    if path == "/latest/api/token":
        if h.command != "PUT":
            return h._send(405, "", "text/plain")
        if h.headers.get("X-Forwarded-For"):
            return h._send(403, "", "text/plain")
        try:
            ttl = int(h.headers.get("X-aws-ec2-metadata-token-ttl-seconds", ""))
        except ValueError:
            ttl = 0
        if ttl < 1 or ttl > 21600:
            return h._send(400, "", "text/plain")
        token = "AQAEA" + secrets.token_urlsafe(40)
        with st.lock:
            st.imds_tokens[token] = time.time() + ttl
        return h._send(200, token, "text/plain",
                       {"X-aws-ec2-metadata-token-ttl-seconds": str(ttl)})
    token = h.headers.get("X-aws-ec2-metadata-token")
    with st.lock:
        valid = token is not None and st.imds_tokens.get(token, 0) > time.time()
    if not valid:
        return h._send(401, "", "text/plain")
    if h.command not in ("GET", "HEAD"):
        return h._send(405, "", "text/plain")
    role = h.server.args.imds_role
    base = "/latest/meta-data/iam/security-credentials"
    if path in (base, base + "/"):
        return h._send(200, role, "text/plain")
    if path == f"{base}/{role}":
        cred = refreshing(h, "imds_credential", "IMDS")
        return h._json(200, {
            "Code": "Success",
            "LastUpdated": iso(cred.issued),
            "Type": "AWS-HMAC",
            "AccessKeyId": cred.access_key,
            "SecretAccessKey": cred.secret,
            "Token": cred.token,
            "Expiration": iso(cred.expiration),
        }, "text/plain")
    if path == "/latest/meta-data/instance-id":
        return h._send(200, h.server.args.imds_instance_id, "text/plain")
    if path in ("/latest/meta-data/placement/region", "/latest/dynamic/instance-identity/"):
        return h._send(200, "us-east-1", "text/plain")
    return h._send(404, "", "text/plain")


def refreshing(h, attr, source):
    """The credential a metadata source hands out, re-issued when less than 5 minutes
    remain (as EC2 and ECS rotate theirs ahead of expiry)."""
    st = h.st
    with st.lock:
        cred = getattr(st, attr)
        if cred is None or cred.expiration - time.time() < 300:
            cred = st.issue(source, int(st.config["credential_ttl_seconds"]),
                            arn=f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/"
                                f"{h.server.args.imds_role}/{source.lower()}")
            cred.issued = time.time()
            setattr(st, attr, cred)
        return cred


def serve_container(h):
    want = h.server.args.container_token
    if want is not None and h.headers.get("Authorization") != want:
        return h._json(401 if not h.headers.get("Authorization") else 403,
                       {"Code": "AccessDenied", "Message": "Invalid or missing "
                        "Authorization token"})
    cred = refreshing(h, "container_credential", "Container")
    return h._json(200, {
        "AccessKeyId": cred.access_key,
        "SecretAccessKey": cred.secret,
        "Token": cred.token,
        "Expiration": iso(cred.expiration),
        "RoleArn": f"arn:aws:iam::{ACCOUNT_ID}:role/{h.server.args.imds_role}",
    })
