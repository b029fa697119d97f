"""STS (query protocol): AssumeRole (issues temporary credentials for an allowed role) and
GetCallerIdentity.
"""
import hashlib
import re
from xml.sax.saxutils import escape

from errors import ApiError
from wire import ACCOUNT_ID, iso


def sts_assume_role(st, params, caller):
    role = params.get("RoleArn")
    session = params.get("RoleSessionName")
    if not role:
        raise ApiError("ValidationError", "1 validation error detected: Value null at 'roleArn' "
                       "failed to satisfy constraint: Member must not be null")
    if not session or not re.fullmatch(r"[\w+=,.@-]{2,64}", session):
        raise ApiError("ValidationError", "1 validation error detected: Value at "
                       "'roleSessionName' failed to satisfy constraint: Member must satisfy "
                       r"regular expression pattern: [\w+=,.@-]*")
    try:
        duration = int(params.get("DurationSeconds", "3600"))
    except ValueError:
        duration = -1
    if duration < 900 or duration > 43200:
        raise ApiError("ValidationError", "1 validation error detected: Value at "
                       "'durationSeconds' failed to satisfy constraint: Member must have value "
                       "between 900 and 43200")
    if role not in st.roles:
        raise ApiError("AccessDenied", f"User: {caller.arn} is not authorized to perform: "
                       f"sts:AssumeRole on resource: {role}", status=403)
    role_name = role.rsplit("/", 1)[-1]
    assumed_arn = f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/{role_name}/{session}"
    cred = st.issue("AssumeRole", duration, arn=assumed_arn)
    role_id = "AROA" + hashlib.sha1(role.encode()).hexdigest()[:17].upper()
    e = escape
    return (
        "<AssumeRoleResult>"
        "<AssumedRoleUser>"
        f"<AssumedRoleId>{role_id}:{e(session)}</AssumedRoleId>"
        f"<Arn>{e(assumed_arn)}</Arn>"
        "</AssumedRoleUser>"
        "<Credentials>"
        f"<AccessKeyId>{cred.access_key}</AccessKeyId>"
        f"<SecretAccessKey>{e(cred.secret)}</SecretAccessKey>"
        f"<SessionToken>{e(cred.token)}</SessionToken>"
        f"<Expiration>{iso(cred.expiration)}</Expiration>"
        "</Credentials>"
        "</AssumeRoleResult>"
    )


def sts_get_caller_identity(caller):
    user_id = caller.access_key if caller.token is None else "AROAEXAMPLE:" + caller.arn.rsplit("/", 1)[-1]
    return (
        "<GetCallerIdentityResult>"
        f"<Arn>{escape(caller.arn)}</Arn>"
        f"<UserId>{escape(user_id)}</UserId>"
        f"<Account>{ACCOUNT_ID}</Account>"
        "</GetCallerIdentityResult>"
    )
