"""SigV4 authentication of AWS API requests against the credentials store, with each
service's own error codes and statuses (unknown key, bad signature, missing auth, clock
skew, expired token). The signature arithmetic itself is in sigv4.py.
"""
import datetime
import time

import sigv4
from errors import ApiError

SKEW_LIMIT = 15 * 60


def authenticate(h, service, body, ctx):
    """SigV4 verification. Returns the caller's Credential or raises the error the real
    service answers with, in that service's vocabulary."""
    auth_codes = {
        # (unknown key, bad signature, missing auth, expired request, expired token)
        "ssm": (("UnrecognizedClientException", 400), ("InvalidSignatureException", 400),
                ("MissingAuthenticationTokenException", 400),
                ("InvalidSignatureException", 400), ("ExpiredTokenException", 400)),
        "sts": (("InvalidClientTokenId", 403), ("SignatureDoesNotMatch", 403),
                ("MissingAuthenticationToken", 403), ("SignatureDoesNotMatch", 403),
                ("ExpiredToken", 403)),
        # ECR answers like every JSON 1.1 service: the SSM codes.
        "ecr": (("UnrecognizedClientException", 400), ("InvalidSignatureException", 400),
                ("MissingAuthenticationTokenException", 400),
                ("InvalidSignatureException", 400), ("ExpiredTokenException", 400)),
        "ec2": (("AuthFailure", 401), ("SignatureDoesNotMatch", 403),
                ("MissingAuthenticationToken", 401), ("RequestExpired", 400),
                ("RequestExpired", 400)),
    }[service]
    unknown, badsig, missing, expired, expired_token = auth_codes
    unknown_msg = ("AWS was not able to validate the provided access credentials"
                   if service == "ec2" else
                   "The security token included in the request is invalid.")
    header = h.headers.get("Authorization")
    if not header:
        raise ApiError(missing[0], "Request is missing Authentication Token", missing[1])
    try:
        auth = sigv4.parse_authorization(header)
    except sigv4.AuthParseError as e:
        raise ApiError("IncompleteSignature", str(e), 400 if service != "sts" else 403)
    ctx["access_key_id"] = auth.access_key_id
    ctx["region"] = auth.region
    if auth.service != service or auth.terminator != "aws4_request":
        raise ApiError(badsig[0], f"Credential should be scoped to correct service: "
                       f"'{service}'. ", badsig[1])
    amz_date = h.headers.get("X-Amz-Date", "")
    try:
        req_time = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(
            tzinfo=datetime.timezone.utc).timestamp()
    except ValueError:
        raise ApiError("IncompleteSignature", "Authorization header requires existence of "
                       "either a 'X-Amz-Date' or a 'Date' header.",
                       400 if service != "sts" else 403)
    if auth.date != amz_date[:8]:
        raise ApiError(badsig[0], "Credential should be scoped to a valid date: "
                       f"'{amz_date[:8]}'. ", badsig[1])
    if "host" not in auth.signed_headers:
        raise ApiError(badsig[0], "'Host' or ':authority' must be a 'SignedHeader' in the "
                       "AWS Authorization.", badsig[1])
    with h.st.lock:
        cred = h.st.credentials.get(auth.access_key_id)
    if cred is None:
        raise ApiError(unknown[0], unknown_msg, unknown[1])
    token = h.headers.get("X-Amz-Security-Token")
    if cred.token is not None or token is not None:
        if cred.token is None or token != cred.token:
            raise ApiError(unknown[0], unknown_msg, unknown[1])
    if not sigv4.verify_signature(h.command, h._target(), list(h.headers.items()),
                                  body, auth, amz_date, cred.secret):
        raise ApiError(badsig[0], "The request signature we calculated does not match the "
                       "signature you provided. Check your AWS Secret Access Key and signing "
                       "method. Consult the service documentation for details.", badsig[1])
    now = h.st.now()
    if abs(now - req_time) > SKEW_LIMIT:
        fmt = "%Y%m%dT%H%M%SZ"
        utc = datetime.timezone.utc
        def at(t):
            return datetime.datetime.fromtimestamp(t, utc).strftime(fmt)
        if req_time < now:
            msg = (f"Signature expired: {amz_date} is now earlier than "
                   f"{at(now - SKEW_LIMIT)} ({at(now)} - 15 min.)")
        else:
            msg = (f"Signature not yet current: {amz_date} is still later than "
                   f"{at(now + SKEW_LIMIT)} ({at(now)} + 15 min.)")
        if service == "ec2":
            msg = "Request has expired."
        raise ApiError(expired[0], msg, expired[1])
    if cred.expiration is not None and time.time() >= cred.expiration:
        raise ApiError(expired_token[0], "The security token included in the request is "
                       "expired", expired_token[1])
    return cred
