#!/usr/bin/env python3
"""The fake AWS endpoint's SigV4 verifier (sigv4.py) against the AWS SigV4 test suite: every
case's canonical request, string to sign and signature, and the verifier's accepting the
signed requests and refusing them altered. test_fake_aws.py tests the running endpoint."""
import glob
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sigv4  # noqa: E402

SHARED = os.environ.get("DROVER_SHARED_DATA_DIR",
                        os.path.join(HERE, "..", "..", "..", "shared", "data"))
SUITE = os.path.join(SHARED, "sigv4-testsuite")
SUITE_KEY = "AKIDEXAMPLE"
SUITE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SUITE_TOKEN = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"


def read(path):
    with open(path, "rb") as f:
        return f.read()


def parse_raw_request(raw: bytes):
    """A .req/.sreq file: request line, headers (folded lines kept), blank line, body."""
    head, sep, body = raw.replace(b"\r\n", b"\n").partition(b"\n\n")
    lines = head.split(b"\n")
    method, rest = lines[0].split(b" ", 1)
    target = rest.rsplit(b" ", 1)[0]  # normalize-path/get-space has a raw space in the path
    headers = []
    for line in lines[1:]:
        if not line:
            continue
        if line[:1] in (b" ", b"\t") and headers:
            name, value = headers[-1]
            headers[-1] = (name, value + "\n" + line.decode("utf-8"))
            continue
        name, _, value = line.decode("utf-8").partition(":")
        headers.append((name, value))
    return method.decode(), target, headers, body if sep else b""


def suite_cases():
    return sorted(os.path.dirname(p) for p in glob.glob(os.path.join(SUITE, "**", "*.req"),
                                                        recursive=True))


class SigV4Suite(unittest.TestCase):
    def test_suite_has_34_cases(self):
        self.assertEqual(len(suite_cases()), 34, SUITE)

    def test_every_case(self):
        for case in suite_cases():
            name = os.path.basename(case)
            with self.subTest(case=name):
                base = os.path.join(case, name)
                method, target, headers, body = parse_raw_request(read(base + ".req"))
                if name == "get-vanilla-with-session-token":
                    headers.append(("X-Amz-Security-Token", SUITE_TOKEN))
                amz_date = dict((n.lower(), v) for n, v in headers)["x-amz-date"].strip()
                signed = sorted({n.lower() for n, _ in headers})
                creq = sigv4.canonical_request(method, target, headers, signed, body)
                self.assertEqual(creq, read(base + ".creq").decode("utf-8"))
                scope = f"{amz_date[:8]}/us-east-1/service/aws4_request"
                sts = sigv4.string_to_sign(amz_date, scope, creq)
                self.assertEqual(sts, read(base + ".sts").decode("utf-8"))
                sig = sigv4.signature(SUITE_SECRET, amz_date[:8], "us-east-1", "service", sts)
                authz = (f"AWS4-HMAC-SHA256 Credential={SUITE_KEY}/{scope}, "
                         f"SignedHeaders={';'.join(signed)}, Signature={sig}")
                self.assertEqual(authz, read(base + ".authz").decode("utf-8"))

    def test_verifier_accepts_every_signed_request_and_rejects_tampering(self):
        for case in suite_cases():
            name = os.path.basename(case)
            with self.subTest(case=name):
                method, target, headers, body = parse_raw_request(
                    read(os.path.join(case, name + ".sreq")))
                lower = dict((n.lower(), v.strip()) for n, v in headers)
                authz = read(os.path.join(case, name + ".authz")).decode()
                if name == "get-vanilla-with-session-token":
                    # Upstream quirk: this .sreq carries a scrambled signature that matches
                    # neither its .authz nor its own canonical request; verify with the .authz.
                    self.assertNotEqual(lower["authorization"], authz)
                    self.assertFalse(sigv4.verify_signature(
                        method, target, headers, body,
                        sigv4.parse_authorization(lower["authorization"]),
                        lower["x-amz-date"], SUITE_SECRET))
                    lower["authorization"] = authz
                self.assertEqual(lower["authorization"], authz)
                auth = sigv4.parse_authorization(lower["authorization"])
                self.assertEqual((auth.access_key_id, auth.region, auth.service),
                                 (SUITE_KEY, "us-east-1", "service"))
                args = (method, target, headers, body, auth, lower["x-amz-date"])
                self.assertTrue(sigv4.verify_signature(*args, SUITE_SECRET))
                self.assertFalse(sigv4.verify_signature(*args, SUITE_SECRET + "x"))
                self.assertFalse(sigv4.verify_signature(method, target, headers, body + b"x",
                                                        auth, lower["x-amz-date"], SUITE_SECRET))
                self.assertFalse(sigv4.verify_signature("PUT", *args[1:], SUITE_SECRET))

    def test_path_already_encoded_is_encoded_again(self):
        self.assertEqual(sigv4.canonical_uri(b"/a%20b/"), "/a%2520b/")

    def test_parse_authorization_rejects_garbage(self):
        for bad in ("Bearer x", "AWS4-HMAC-SHA256 Credential=a/b/c",
                    "AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=zz"):
            with self.assertRaises(sigv4.AuthParseError):
                sigv4.parse_authorization(bad)


if __name__ == "__main__":
    unittest.main(verbosity=2)
