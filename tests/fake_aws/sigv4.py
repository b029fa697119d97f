"""AWS Signature Version 4, the verifying side, for the fake AWS endpoint.

Everything here works on the request as it arrived: the raw request target (bytes), the
header list in arrival order (duplicates kept), and the raw body. The canonical request is
rebuilt from those, never from what the client claims to have signed, except for the list of
signed header names, which only the Authorization header can tell.

Rules (non-S3 services, as botocore signs them):
- canonical URI: the path with dot segments removed and repeated slashes collapsed, then every
  byte outside the unreserved set (A-Z a-z 0-9 - _ . ~) and '/' percent-encoded. A path that
  arrived already percent-encoded is therefore encoded a second time (%20 -> %2520), exactly as
  AWS does for every service except S3.
- canonical query: each name and value percent-decoded, re-encoded strictly, pairs sorted by
  encoded name then encoded value; a name without '=' gets an empty value.
- canonical headers: names lower-cased, values trimmed with inner whitespace runs (including
  folded continuation lines) collapsed to one space, repeated headers joined with ','.
- payload hash: SHA-256 of the body that arrived.
"""
import hashlib
import hmac
import re
import urllib.parse
from dataclasses import dataclass, field

ALGORITHM = "AWS4-HMAC-SHA256"
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def uri_encode(data: bytes, keep_slash: bool = False) -> str:
    out = []
    for byte in data:
        if byte in _UNRESERVED or (keep_slash and byte == 0x2F):
            out.append(chr(byte))
        else:
            out.append("%%%02X" % byte)
    return "".join(out)


def normalize_path(path: bytes) -> bytes:
    """RFC 3986 dot-segment removal plus collapsed slashes; keeps a trailing slash."""
    if not path:
        return b"/"
    segments = []
    for segment in path.split(b"/"):
        if segment in (b"", b"."):
            continue
        if segment == b"..":
            if segments:
                segments.pop()
            continue
        segments.append(segment)
    result = b"/" + b"/".join(segments)
    if path.endswith(b"/") and segments:
        result += b"/"
    return result


def canonical_uri(path: bytes) -> str:
    return uri_encode(normalize_path(path), keep_slash=True)


def canonical_query(query: bytes) -> str:
    if not query:
        return ""
    pairs = []
    for part in query.split(b"&"):
        if not part:
            continue
        name, sep, value = part.partition(b"=")
        name_enc = uri_encode(urllib.parse.unquote_to_bytes(name))
        value_enc = uri_encode(urllib.parse.unquote_to_bytes(value)) if sep else ""
        pairs.append((name_enc, value_enc))
    pairs.sort()
    return "&".join(f"{n}={v}" for n, v in pairs)


def trim_value(value: str) -> str:
    return re.sub(r"\s+", " ", value.strip())


def canonical_headers(headers, signed_names):
    """headers: [(name, value)] in arrival order. Returns the canonical header block
    (each line ending in \\n). Signed names missing from the request give an empty value."""
    by_name = {}
    for name, value in headers:
        by_name.setdefault(name.lower(), []).append(trim_value(value))
    lines = []
    for name in signed_names:
        lines.append(f"{name}:{','.join(by_name.get(name, []))}\n")
    return "".join(lines)


def split_target(target: bytes):
    path, _, query = target.partition(b"?")
    return path, query


def canonical_request(method: str, target: bytes, headers, signed_names, body: bytes) -> str:
    path, query = split_target(target)
    return "\n".join([
        method.upper(),
        canonical_uri(path),
        canonical_query(query),
        canonical_headers(headers, signed_names),
        ";".join(signed_names),
        hashlib.sha256(body).hexdigest(),
    ])


def string_to_sign(amz_date: str, scope: str, creq: str) -> str:
    return "\n".join([ALGORITHM, amz_date, scope, hashlib.sha256(creq.encode("utf-8")).hexdigest()])


def signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = ("AWS4" + secret).encode("utf-8")
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
    return key


def signature(secret: str, date: str, region: str, service: str, sts: str) -> str:
    return hmac.new(signing_key(secret, date, region, service), sts.encode("utf-8"),
                    hashlib.sha256).hexdigest()


@dataclass
class Authorization:
    access_key_id: str
    date: str
    region: str
    service: str
    terminator: str
    signed_headers: list = field(default_factory=list)
    signature: str = ""

    @property
    def scope(self) -> str:
        return f"{self.date}/{self.region}/{self.service}/{self.terminator}"


class AuthParseError(ValueError):
    pass


def parse_authorization(value: str) -> Authorization:
    """Parses 'AWS4-HMAC-SHA256 Credential=AK/date/region/service/aws4_request,
    SignedHeaders=a;b, Signature=hex'. Raises AuthParseError naming what is wrong."""
    value = value.strip()
    if not value.startswith(ALGORITHM + " "):
        raise AuthParseError("Unsupported signing algorithm; only AWS4-HMAC-SHA256 is accepted.")
    fields = {}
    for part in value[len(ALGORITHM) + 1:].split(","):
        name, sep, val = part.strip().partition("=")
        if sep:
            fields[name.strip()] = val.strip()
    missing = [k for k in ("Credential", "SignedHeaders", "Signature") if k not in fields]
    if missing:
        raise AuthParseError(
            "Authorization header requires " + ", ".join(f"'{m}'" for m in missing)
            + " parameter(s).")
    cred = fields["Credential"].split("/")
    if len(cred) != 5:
        raise AuthParseError("Credential should be scoped to a valid region, not a malformed scope.")
    signed = fields["SignedHeaders"].split(";")
    if not re.fullmatch(r"[0-9a-f]{64}", fields["Signature"]):
        raise AuthParseError("Signature must be 64 lower-case hex digits.")
    return Authorization(cred[0], cred[1], cred[2], cred[3], cred[4], signed, fields["Signature"])


def verify_signature(method: str, target: bytes, headers, body: bytes, auth: Authorization,
                     amz_date: str, secret: str) -> bool:
    """Rebuilds the canonical request from what arrived and compares the signature the client
    sent with the one computed from `secret` (constant-time)."""
    creq = canonical_request(method, target, headers, auth.signed_headers, body)
    sts = string_to_sign(amz_date, auth.scope, creq)
    want = signature(secret, auth.date, auth.region, auth.service, sts)
    return hmac.compare_digest(want, auth.signature)


def sign_headers(method, url_target: bytes, headers, body: bytes, access_key, secret, region,
                 service, amz_date, session_token=None):
    """Client side, for tests: returns the header list with X-Amz-Date, the optional
    X-Amz-Security-Token and Authorization added; every header given is signed."""
    headers = list(headers) + [("X-Amz-Date", amz_date)]
    if session_token:
        headers.append(("X-Amz-Security-Token", session_token))
    names = sorted({n.lower() for n, _ in headers})
    creq = canonical_request(method, url_target, headers, names, body)
    scope = f"{amz_date[:8]}/{region}/{service}/aws4_request"
    sig = signature(secret, amz_date[:8], region, service, string_to_sign(amz_date, scope, creq))
    headers.append(("Authorization",
                    f"{ALGORITHM} Credential={access_key}/{scope}, "
                    f"SignedHeaders={';'.join(names)}, Signature={sig}"))
    return headers
