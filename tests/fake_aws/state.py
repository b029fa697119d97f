"""The shared state of one endpoint process: the credentials store (long-term keys and the
temporary credentials it issues), the fleet, commands, parameters, IMDS tokens, the call
log and the fault-injection config, all guarded by one lock.
"""
import json
import secrets
import tempfile
import threading
import time

from model import Instance
from wire import ACCOUNT_ID


class Credential:
    def __init__(self, access_key, secret, token=None, expiration=None, source="base",
                 arn=None):
        self.access_key = access_key
        self.secret = secret
        self.token = token
        self.expiration = expiration
        self.source = source
        self.arn = arn or f"arn:aws:iam::{ACCOUNT_ID}:user/drover-test"


class State:
    def __init__(self, args):
        self.lock = threading.RLock()
        self.args = args
        self.credentials = {args.access_key: Credential(args.access_key, args.secret_key)}
        self.instances = {}
        for spec in self.load_fleet(args.fleet):
            inst = Instance(spec)
            self.instances[inst.id] = inst
        self.roles = list(args.role)
        self.commands = {}  # id -> Command, in creation order
        self.parameters = {}
        self.imds_tokens = {}  # token -> expiry
        self.imds_credential = None
        self.container_credential = None
        self.calls = []
        self.api_calls = 0
        self.bucket_tokens = 0.0  # throttle_bucket's tokens, as of bucket_time
        self.bucket_time = 0.0
        self.config = {
            "throttle_every": 0,
            "throttle_bucket": None,
            "clock_skew_seconds": 0,
            "delivery_timeout_seconds": None,
            "invocation_visibility_delay_ms": 0,
            "credential_ttl_seconds": args.credential_ttl,
            "cancel_grace_seconds": 2.0,
        }
        self.work_root = tempfile.mkdtemp(prefix="fake_aws_")
        self.stopping = False

    @staticmethod
    def load_fleet(path):
        if not path:
            return []
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        if isinstance(data, dict):
            data = data.get("instances", [])
        return data

    def now(self):
        return time.time() + float(self.config["clock_skew_seconds"])

    # ---- credentials ----
    def issue(self, source, ttl, arn=None):
        ak = "ASIA" + "".join(secrets.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
        cred = Credential(ak, secrets.token_urlsafe(30), "FQoG" + secrets.token_urlsafe(90),
                          time.time() + ttl, source, arn)
        with self.lock:
            self.credentials[ak] = cred
        return cred
