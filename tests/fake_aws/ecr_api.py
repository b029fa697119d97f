"""ECR (JSON 1.1, X-Amz-Target AmazonEC2ContainerRegistry_V20150921.*): GetAuthorizationToken.

The token is what ECR hands out: base64 of "AWS:<password>", valid 12 hours, with the
registry's proxyEndpoint. Its password is --ecr-password, so a test can put the same user and
password into a docker-registry's htpasswd and have that registry accept the token.
"""
import base64
import re
import time

from errors import ApiError


def ecr_call(st, op, req, ctx):
    if op != "GetAuthorizationToken":
        raise ApiError("UnknownOperationException", f"Unknown operation {op}")
    ids = req.get("registryIds")
    if ids is None:
        from wire import ACCOUNT_ID
        ids = [ACCOUNT_ID]
    if not isinstance(ids, list) or not 1 <= len(ids) <= 10 or \
            not all(isinstance(i, str) and re.fullmatch(r"[0-9]{12}", i) for i in ids):
        raise ApiError("InvalidParameterException", "Invalid parameter at 'registryIds' failed "
                       "to satisfy constraint: 'Member must satisfy regular expression pattern: "
                       "[0-9]{12}'")
    token = base64.b64encode(f"AWS:{st.args.ecr_password}".encode()).decode()
    expires = time.time() + 12 * 3600
    with st.lock:
        st.ecr_tokens_issued = getattr(st, "ecr_tokens_issued", 0) + len(ids)
    return {"authorizationData": [
        {"authorizationToken": token, "expiresAt": expires,
         "proxyEndpoint": f"https://{i}.dkr.ecr.{ctx['region']}.amazonaws.com"} for i in ids]}
