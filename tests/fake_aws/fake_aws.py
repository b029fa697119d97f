#!/usr/bin/env python3
"""A local endpoint that speaks AWS's real wire protocols, for drover's tests.

One process, one port on 127.0.0.1: SSM (JSON 1.1) including Parameter Store, EC2
DescribeInstances (ec2 query protocol), STS AssumeRole/GetCallerIdentity (query protocol),
IMDSv2, container credentials, a file server and a test-only control API under /_fake/.
Every AWS API request is SigV4-verified. See README.md next to this file.
"""
import argparse
import base64
import datetime
import hashlib
import http.server
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sigv4  # noqa: E402

DEFAULT_ACCESS_KEY = "AKIDDROVERTEST"
DEFAULT_SECRET_KEY = "drover+test/secret/wJalrXUtnFEMIK7MDENG"
ACCOUNT_ID = "123456789012"
EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/"
STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"
STDOUT_LIMIT = 24000  # GetCommandInvocationResult.StandardOutputContent max
STDERR_LIMIT = 8000  # GetCommandInvocationResult.StandardErrorContent max
PLUGIN_OUTPUT_LIMIT = 2500  # CommandPlugin.Output max
PLUGIN_NAME = "aws:runShellScript"
STOPPED_EXIT_CODE = 137  # what the Linux SSM agent reports for a timed-out or cancelled script
SKEW_LIMIT = 15 * 60
PING_STATUSES = ("Online", "ConnectionLost", "Inactive")
INSTANCE_STATE_CODES = {"pending": 0, "running": 16, "shutting-down": 32, "terminated": 48,
                        "stopping": 64, "stopped": 80}
TERMINAL = ("Success", "Failed", "TimedOut", "Cancelled")


def log(msg):
    sys.stderr.write(f"fake_aws: {msg}\n")
    sys.stderr.flush()


def iso(ts, millis=False):
    dt = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc)
    if millis:
        return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


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


# --------------------------------------------------------------------------------------------
# State


class Instance:
    def __init__(self, spec):
        self.id = spec["id"]
        if not re.fullmatch(r"(i|mi)-[0-9a-f]{8,17}", self.id):
            raise ValueError(f"instance id {self.id!r} is not in i-0123456789abcdef0 form")
        self.state = spec.get("state", "running")
        default_ping = "Online" if self.state == "running" else "ConnectionLost"
        self.ping_status = spec.get("ping_status", default_ping)
        if self.ping_status not in PING_STATUSES:
            raise ValueError(f"ping_status {self.ping_status!r} is not one of {PING_STATUSES}")
        self.computer_name = spec.get("computer_name", f"{self.id}.ec2.internal")
        self.ip = spec.get("ip", "10.0.0.1")
        self.tags = dict(spec.get("tags", {}))
        self.env = {str(k): str(v) for k, v in spec.get("env", {}).items()}
        self.platform_type = spec.get("platform_type", "Linux")
        self.platform_name = spec.get("platform_name", "Debian GNU/Linux")
        self.platform_version = spec.get("platform_version", "12")
        self.agent_version = spec.get("agent_version", "3.3.1142.0")
        self.instance_type = spec.get("instance_type", "t3.micro")
        self.image_id = spec.get("image_id", "ami-0123456789abcdef0")
        self.availability_zone = spec.get("availability_zone", "us-east-1a")
        self.reservation_id = spec.get("reservation_id", "r-" + hashlib.sha1(
            self.id.encode()).hexdigest()[:17])
        self.launch_time = spec.get("launch_time", time.time() - 86400)
        self.last_ping = time.time()
        self.cwd = spec.get("cwd")

    def ping_time(self):
        # An Online agent pings every few minutes; others stopped pinging when they went away.
        if self.ping_status == "Online":
            self.last_ping = time.time()
        return self.last_ping


class Invocation:
    def __init__(self, command, instance):
        self.command = command
        self.instance_id = instance.id
        self.instance_name = instance.computer_name
        self.status = "Pending"
        self.status_details = "Pending"
        self.response_code = -1
        self.stdout = ""
        self.stderr = ""
        self.start = None
        self.end = None
        self.pid = None
        self.proc = None
        self.cancel_requested = False
        self.visible_at = time.time()

    def terminal(self):
        return self.status in TERMINAL


class Command:
    def __init__(self, req, now):
        self.id = str(uuid.uuid4())
        self.document_name = req["DocumentName"]
        self.document_version = req.get("DocumentVersion", "$DEFAULT")
        self.comment = req.get("Comment", "")
        self.parameters = req.get("Parameters", {})
        self.instance_ids = list(req.get("InstanceIds", []))
        self.timeout_seconds = int(req.get("TimeoutSeconds", 3600))
        self.execution_timeout = int(self.parameters.get("executionTimeout", ["3600"])[0])
        self.max_concurrency = req.get("MaxConcurrency", "50")
        self.max_errors = req.get("MaxErrors", "0")
        self.requested = now
        self.invocations = {}
        self.cancelled = False

    def expires_after(self):
        return self.requested + self.timeout_seconds + self.execution_timeout

    def status(self):
        invs = list(self.invocations.values())
        if not invs:
            return "Success", "Success"
        if not all(i.terminal() for i in invs):
            if self.cancelled:
                return "Cancelling", "Cancelling"
            if all(i.status == "Pending" for i in invs):
                return "Pending", "Pending"
            return "InProgress", "InProgress"
        details = [i.status_details for i in invs]
        if self.cancelled or any(d == "Cancelled" for d in details):
            return "Cancelled", "Cancelled"
        if all(d == "Success" for d in details):
            return "Success", "Success"
        try:
            max_errors = int(self.max_errors.rstrip("%"))
            if self.max_errors.endswith("%"):
                max_errors = len(invs) * max_errors // 100
        except ValueError:
            max_errors = 0
        errors = [d for d in details if d in ("Failed", "ExecutionTimedOut")]
        if len(errors) > max_errors:
            if all(d == "ExecutionTimedOut" for d in errors):
                return "TimedOut", "ExecutionTimedOut"
            return "Failed", "Failed"
        if all(d == "Undeliverable" for d in details):
            return "Failed", "Undeliverable"
        if details.count("DeliveryTimedOut") > max_errors:
            return "TimedOut", "DeliveryTimedOut"
        if any(d == "Success" for d in details) and all(
                d in ("Success", "Undeliverable") for d in details):
            return "Success", "Success"
        return "Success", "Incomplete"


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
        self.config = {
            "throttle_every": 0,
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


# --------------------------------------------------------------------------------------------
# SSM Run Command engine


class Runner:
    def __init__(self, state):
        self.state = state

    def start(self, inv):
        threading.Thread(target=self._run, args=(inv,), daemon=True).start()

    def _delivery_deadline(self, inv):
        override = self.state.config.get("delivery_timeout_seconds")
        cmd = inv.command
        if override is not None:
            return cmd.requested + float(override)
        return cmd.expires_after()

    def _run(self, inv):
        st = self.state
        # Delivery: wait until the instance's agent is Online, as the service does.
        while True:
            with st.lock:
                if st.stopping:
                    return
                inst = st.instances.get(inv.instance_id)
                if inv.cancel_requested:
                    self._finish(inv, "Cancelled", "Cancelled", -1)
                    return
                if inst is None or inst.ping_status == "Inactive":
                    self._finish(inv, "Failed", "Undeliverable", -1)
                    return
                if inst.ping_status == "Online" and inst.state == "running":
                    break
                if time.time() >= self._delivery_deadline(inv):
                    self._finish(inv, "TimedOut", "DeliveryTimedOut", -1)
                    return
            time.sleep(0.05)
        self._execute(inv, inst)

    def _execute(self, inv, inst):
        st = self.state
        cmd = inv.command
        lines = cmd.parameters.get("commands", [])
        script = "\n".join(lines)
        env = dict(os.environ)
        env.update({"AWS_SSM_INSTANCE_ID": inst.id, "AWS_SSM_REGION_NAME": cmd.region})
        env.update(inst.env)
        workdir = (cmd.parameters.get("workingDirectory", [""]) or [""])[0] or inst.cwd
        if not workdir:
            workdir = os.path.join(st.work_root, inst.id, cmd.id)
            os.makedirs(workdir, exist_ok=True)
        outdir = os.path.join(st.work_root, "output", cmd.id, inst.id)
        os.makedirs(outdir, exist_ok=True)
        out_path, err_path = os.path.join(outdir, "stdout"), os.path.join(outdir, "stderr")
        with st.lock:
            if inv.cancel_requested or st.stopping:
                self._finish(inv, "Cancelled", "Cancelled", -1)
                return
            inv.status = inv.status_details = "InProgress"
            inv.start = time.time()
            try:
                with open(out_path, "wb") as out, open(err_path, "wb") as err:
                    inv.proc = subprocess.Popen(["/bin/sh", "-c", script], stdin=subprocess.DEVNULL,
                                                stdout=out, stderr=err, env=env, cwd=workdir,
                                                start_new_session=True)
            except OSError as e:
                inv.stderr = f"failed to run commands: {e}"
                self._finish(inv, "Failed", "Failed", 1)
                return
            inv.pid = inv.proc.pid
        log(f"invocation {cmd.id}/{inst.id} started pid {inv.pid}")
        deadline = inv.start + cmd.execution_timeout
        stop_reason = None
        while True:
            try:
                rc = inv.proc.wait(timeout=0.05)
                break
            except subprocess.TimeoutExpired:
                pass
            if stop_reason is None:
                if inv.cancel_requested or st.stopping:
                    stop_reason = "cancel"
                elif time.time() >= deadline:
                    stop_reason = "timeout"
                if stop_reason:
                    self._kill_group(inv)
        with open(out_path, "rb") as f:
            stdout = f.read().decode("utf-8", "replace")
        with open(err_path, "rb") as f:
            stderr = f.read().decode("utf-8", "replace")
        with st.lock:
            inv.stdout, inv.stderr = stdout, stderr
            code = rc if rc >= 0 else -1
            if stop_reason and rc < 0:
                code = STOPPED_EXIT_CODE
            if stop_reason == "cancel":
                self._finish(inv, "Cancelled", "Cancelled", code)
            elif stop_reason == "timeout":
                self._finish(inv, "TimedOut", "ExecutionTimedOut", code)
            elif rc == 0:
                self._finish(inv, "Success", "Success", 0)
            else:
                self._finish(inv, "Failed", "Failed", code)
        log(f"invocation {cmd.id}/{inst.id} {inv.status_details} rc={inv.response_code}")

    def _kill_group(self, inv):
        """SIGTERM to the invocation's process group, SIGKILL after the grace period."""
        pid = inv.pid
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        grace = float(self.state.config.get("cancel_grace_seconds", 2.0))

        def later():
            time.sleep(grace)
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        threading.Thread(target=later, daemon=True).start()

    def _finish(self, inv, status, details, code):
        inv.status = status
        inv.status_details = details
        inv.response_code = code
        inv.end = time.time()


# --------------------------------------------------------------------------------------------
# Pagination


def page(items, req, default_max, lo, hi, what="MaxResults"):
    max_results = req.get("MaxResults", default_max)
    if not isinstance(max_results, int) or max_results < lo or max_results > hi:
        raise validation(f"Value '{max_results}' at 'maxResults' failed to satisfy constraint: "
                         f"Member must have value between {lo} and {hi}")
    offset = 0
    token = req.get("NextToken")
    if token:
        try:
            offset = int(json.loads(base64.b64decode(token))["offset"])
            if offset < 0 or offset > len(items):
                raise ValueError
        except (ValueError, KeyError, TypeError, json.JSONDecodeError):
            raise ApiError("InvalidNextToken", "The specified token isn't valid.")
    chunk = items[offset:offset + max_results]
    nxt = None
    if offset + max_results < len(items):
        nxt = base64.b64encode(json.dumps({"offset": offset + max_results}).encode()).decode()
    return chunk, nxt


# --------------------------------------------------------------------------------------------
# SSM operations


class Ssm:
    def __init__(self, state, runner):
        self.st = state
        self.runner = runner

    def call(self, op, req, ctx):
        fn = getattr(self, "op_" + op, None)
        if fn is None:
            raise ApiError("UnknownOperationException", f"Unknown operation {op}")
        if not isinstance(req, dict):
            raise ApiError("SerializationException", "Start of structure or map found where not expected.")
        return fn(req, ctx)

    # Run Command
    def op_SendCommand(self, req, ctx):
        st = self.st
        if "DocumentName" not in req:
            raise validation("Value null at 'documentName' failed to satisfy constraint: "
                             "Member must not be null")
        if req["DocumentName"] != "AWS-RunShellScript":
            raise ApiError("InvalidDocument", "Document with name "
                           f"{req['DocumentName']} does not exist.")
        if req.get("Targets"):
            raise ApiError("InvalidParameters", "Targets are not supported by this fake endpoint; "
                           "use InstanceIds.")
        ids = req.get("InstanceIds", [])
        if not ids or len(ids) > 50:
            raise validation("Value at 'instanceIds' failed to satisfy constraint: Member must "
                             "have length less than or equal to 50 and greater than or equal to 1")
        if len(set(ids)) != len(ids):
            raise ApiError("DuplicateInstanceId", "")
        params = req.get("Parameters", {})
        if not isinstance(params.get("commands"), list) or not params["commands"]:
            raise ApiError("InvalidParameters", "Parameter \"commands\" is required.")
        timeout = req.get("TimeoutSeconds", 3600)
        if not isinstance(timeout, int) or timeout < 30 or timeout > 2592000:
            raise validation(f"Value '{timeout}' at 'timeoutSeconds' failed to satisfy "
                             "constraint: Member must have value between 30 and 2592000")
        et = params.get("executionTimeout", ["3600"])
        if not (isinstance(et, list) and len(et) == 1 and re.fullmatch(r"[1-9][0-9]{0,5}", str(et[0]))
                and int(et[0]) <= 172800):
            raise ApiError("InvalidParameters", "Parameter \"executionTimeout\" has an invalid "
                           "value; it must be a number of seconds from 1 to 172800.")
        if len(req.get("Comment", "")) > 100:
            raise validation("Value at 'comment' failed to satisfy constraint: Member must have "
                             "length less than or equal to 100")
        with st.lock:
            unknown = [i for i in ids if i not in st.instances]
            if unknown:
                raise ApiError("InvalidInstanceId", "Instances " + str(unknown).replace("'", "")
                               + " not in a valid state for account " + ACCOUNT_ID)
            cmd = Command(req, time.time())
            cmd.region = ctx["region"]
            delay = float(st.config.get("invocation_visibility_delay_ms") or 0) / 1000.0
            for iid in ids:
                inv = Invocation(cmd, st.instances[iid])
                inv.visible_at = time.time() + delay
                cmd.invocations[iid] = inv
            st.commands[cmd.id] = cmd
        for inv in cmd.invocations.values():
            self.runner.start(inv)
        return {"Command": self.command_json(cmd)}

    def command_json(self, cmd):
        status, details = cmd.status()
        invs = list(cmd.invocations.values())
        return {
            "CommandId": cmd.id,
            "DocumentName": cmd.document_name,
            "DocumentVersion": cmd.document_version,
            "Comment": cmd.comment,
            "ExpiresAfter": cmd.expires_after(),
            "Parameters": cmd.parameters,
            "InstanceIds": cmd.instance_ids,
            "Targets": [],
            "RequestedDateTime": cmd.requested,
            "Status": status,
            "StatusDetails": details,
            "OutputS3Region": cmd.region,
            "OutputS3BucketName": "",
            "OutputS3KeyPrefix": "",
            "MaxConcurrency": cmd.max_concurrency,
            "MaxErrors": cmd.max_errors,
            "TargetCount": len(invs),
            "CompletedCount": sum(1 for i in invs if i.terminal()),
            "ErrorCount": sum(1 for i in invs if i.status_details in (
                "Failed", "ExecutionTimedOut", "Undeliverable")),
            "DeliveryTimedOutCount": sum(1 for i in invs if i.status_details == "DeliveryTimedOut"),
            "ServiceRole": "",
            "NotificationConfig": {"NotificationArn": "", "NotificationEvents": [],
                                   "NotificationType": ""},
            "CloudWatchOutputConfig": {"CloudWatchLogGroupName": "",
                                       "CloudWatchOutputEnabled": False},
            "TimeoutSeconds": cmd.timeout_seconds,
        }

    def _find(self, req, need_instance=True):
        cid = req.get("CommandId")
        if cid is not None and (not isinstance(cid, str) or len(cid) != 36):
            raise validation(f"Value '{cid}' at 'commandId' failed to satisfy constraint: "
                             "Member must have length less than or equal to 36 and greater "
                             "than or equal to 36")
        return cid

    def op_GetCommandInvocation(self, req, ctx):
        for key in ("CommandId", "InstanceId"):
            if key not in req:
                raise validation(f"Value null at '{key[0].lower() + key[1:]}' failed to satisfy "
                                 "constraint: Member must not be null")
        cid = self._find(req)
        plugin = req.get("PluginName")
        with self.st.lock:
            cmd = self.st.commands.get(cid)
            inv = cmd.invocations.get(req["InstanceId"]) if cmd else None
            if inv is None or time.time() < inv.visible_at:
                raise ApiError("InvocationDoesNotExist", "")
            if plugin is not None and plugin != PLUGIN_NAME:
                raise ApiError("InvalidPluginName", "")
            done = inv.status in ("Success", "Failed", "TimedOut", "Cancelled")
            elapsed = ""
            if inv.start:
                secs = (inv.end or time.time()) - inv.start
                elapsed = f"PT{secs:.3f}S"
            return {
                "CommandId": cmd.id,
                "InstanceId": inv.instance_id,
                "Comment": cmd.comment,
                "DocumentName": cmd.document_name,
                "DocumentVersion": cmd.document_version,
                "PluginName": PLUGIN_NAME,
                "ResponseCode": inv.response_code,
                "ExecutionStartDateTime": iso(inv.start, True) if inv.start else "",
                "ExecutionElapsedTime": elapsed,
                "ExecutionEndDateTime": iso(inv.end, True) if inv.end and inv.start else "",
                "Status": inv.status,
                "StatusDetails": inv.status_details,
                "StandardOutputContent": inv.stdout[:STDOUT_LIMIT] if done else "",
                "StandardOutputUrl": "",
                "StandardErrorContent": inv.stderr[:STDERR_LIMIT] if done else "",
                "StandardErrorUrl": "",
                "CloudWatchOutputConfig": {"CloudWatchLogGroupName": "",
                                           "CloudWatchOutputEnabled": False},
            }

    @staticmethod
    def _command_filters(req):
        filters = req.get("Filters") or []
        checks = []
        for f in filters:
            key, value = f.get("key"), f.get("value")
            if key == "Status":
                checks.append(lambda status, cmd, v=value: status == v)
            elif key == "DocumentName":
                checks.append(lambda status, cmd, v=value: cmd.document_name == v)
            elif key in ("InvokedAfter", "InvokedBefore"):
                try:
                    t = datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
                except ValueError:
                    raise ApiError("InvalidFilterValue", f"{value} is not a valid date")
                if key == "InvokedAfter":
                    checks.append(lambda status, cmd, t=t: cmd.requested >= t)
                else:
                    checks.append(lambda status, cmd, t=t: cmd.requested <= t)
            else:
                raise ApiError("InvalidFilterKey", "")
        return checks

    def op_ListCommandInvocations(self, req, ctx):
        cid = self._find(req)
        iid = req.get("InstanceId")
        checks = self._command_filters(req)
        details = bool(req.get("Details", False))
        with self.st.lock:
            if cid and cid not in self.st.commands:
                raise ApiError("InvalidCommandId", "")
            rows = []
            for cmd in reversed(list(self.st.commands.values())):  # newest first
                if cid and cmd.id != cid:
                    continue
                for inv in cmd.invocations.values():
                    if iid and inv.instance_id != iid:
                        continue
                    if time.time() < inv.visible_at:
                        continue
                    if all(c(inv.status, cmd) for c in checks):
                        rows.append(inv)
            chunk, nxt = page(rows, req, 50, 1, 50)
            out = {"CommandInvocations": [self.invocation_json(i, details) for i in chunk]}
        if nxt:
            out["NextToken"] = nxt
        return out

    def invocation_json(self, inv, details):
        cmd = inv.command
        row = {
            "CommandId": cmd.id,
            "InstanceId": inv.instance_id,
            "InstanceName": inv.instance_name,
            "Comment": cmd.comment,
            "DocumentName": cmd.document_name,
            "DocumentVersion": cmd.document_version,
            "RequestedDateTime": cmd.requested,
            "Status": inv.status,
            "StatusDetails": inv.status_details,
            "TraceOutput": "",
            "StandardOutputUrl": "",
            "StandardErrorUrl": "",
            "CommandPlugins": [],
            "ServiceRole": "",
            "NotificationConfig": {"NotificationArn": "", "NotificationEvents": [],
                                   "NotificationType": ""},
            "CloudWatchOutputConfig": {"CloudWatchLogGroupName": "",
                                       "CloudWatchOutputEnabled": False},
        }
        if details:
            output = inv.stdout
            if inv.stderr:
                output += "\n----------ERROR-------\n" + inv.stderr
            plugin = {
                "Name": PLUGIN_NAME,
                "Status": inv.status,
                "StatusDetails": inv.status_details,
                "ResponseCode": inv.response_code,
                "Output": output[:PLUGIN_OUTPUT_LIMIT] if inv.terminal() else "",
                "StandardOutputUrl": "",
                "StandardErrorUrl": "",
                "OutputS3Region": cmd.region,
                "OutputS3BucketName": "",
                "OutputS3KeyPrefix": "",
            }
            if inv.start:
                plugin["ResponseStartDateTime"] = inv.start
            if inv.end and inv.start:
                plugin["ResponseFinishDateTime"] = inv.end
            row["CommandPlugins"] = [plugin]
        return row

    def op_ListCommands(self, req, ctx):
        cid = self._find(req)
        iid = req.get("InstanceId")
        checks = self._command_filters(req)
        with self.st.lock:
            if cid and cid not in self.st.commands:
                raise ApiError("InvalidCommandId", "")
            rows = []
            for cmd in reversed(list(self.st.commands.values())):
                if cid and cmd.id != cid:
                    continue
                if iid and iid not in cmd.invocations:
                    continue
                status = cmd.status()[0]
                if all(c(status, cmd) for c in checks):
                    rows.append(cmd)
            chunk, nxt = page(rows, req, 50, 1, 50)
            out = {"Commands": [self.command_json(c) for c in chunk]}
        if nxt:
            out["NextToken"] = nxt
        return out

    def op_CancelCommand(self, req, ctx):
        if "CommandId" not in req:
            raise validation("Value null at 'commandId' failed to satisfy constraint: Member must "
                             "not be null")
        cid = self._find(req)
        ids = req.get("InstanceIds") or []
        if len(set(ids)) != len(ids):
            raise ApiError("DuplicateInstanceId", "")
        with self.st.lock:
            cmd = self.st.commands.get(cid)
            if cmd is None:
                raise ApiError("InvalidCommandId", "")
            for iid in ids:
                if iid not in cmd.invocations:
                    raise ApiError("InvalidInstanceId", f"Instance {iid} is not a target of "
                                   f"command {cid}")
            if not ids:
                cmd.cancelled = True
            for iid, inv in cmd.invocations.items():
                if (ids and iid not in ids) or inv.terminal():
                    continue
                inv.cancel_requested = True
                if inv.status == "InProgress":
                    inv.status = inv.status_details = "Cancelling"
        return {}

    # Managed nodes
    def op_DescribeInstanceInformation(self, req, ctx):
        preds = []
        for f in req.get("InstanceInformationFilterList") or []:
            preds.append(self._info_filter(f.get("key"), f.get("valueSet"), old_style=True))
        for f in req.get("Filters") or []:
            preds.append(self._info_filter(f.get("Key"), f.get("Values"), old_style=False))
        with self.st.lock:
            rows = [i for i in self.st.instances.values() if all(p(i) for p in preds)]
            rows.sort(key=lambda i: i.id)
            chunk, nxt = page(rows, req, 50, 5, 50)
            out = {"InstanceInformationList": [self.info_json(i) for i in chunk]}
        if nxt:
            out["NextToken"] = nxt
        return out

    @staticmethod
    def _info_filter(key, values, old_style):
        if not key or not isinstance(values, list) or not values:
            raise ApiError("InvalidInstanceInformationFilterValue",
                           "Filter values must be a non-empty list.")
        vals = set(values)
        if key == "InstanceIds":
            return lambda i: i.id in vals
        if key == "PingStatus":
            bad = vals - set(PING_STATUSES)
            if bad:
                raise ApiError("InvalidInstanceInformationFilterValue",
                               f"{sorted(bad)[0]} is not a valid value for PingStatus.")
            return lambda i: i.ping_status in vals
        if key == "PlatformTypes":
            return lambda i: i.platform_type in vals
        if key == "AgentVersion":
            return lambda i: i.agent_version in vals
        if key == "ResourceType":
            return lambda i: "EC2Instance" in vals
        if not old_style and key == "tag-key":
            return lambda i: bool(vals & set(i.tags))
        if not old_style and key.startswith("tag:"):
            tag = key[4:]
            return lambda i: i.tags.get(tag) in vals
        raise ApiError("InvalidFilterKey", "")

    @staticmethod
    def info_json(i):
        return {
            "InstanceId": i.id,
            "PingStatus": i.ping_status,
            "LastPingDateTime": i.ping_time(),
            "AgentVersion": i.agent_version,
            "IsLatestVersion": False,
            "PlatformType": i.platform_type,
            "PlatformName": i.platform_name,
            "PlatformVersion": i.platform_version,
            "ResourceType": "EC2Instance",
            "IPAddress": i.ip,
            "ComputerName": i.computer_name,
            "SourceId": i.id,
            "SourceType": "AWS::EC2::Instance",
        }

    # Parameter Store
    def _param_name(self, req):
        name = req.get("Name")
        if not isinstance(name, str) or not name:
            raise validation("Value null at 'name' failed to satisfy constraint: Member must not "
                             "be null")
        if name.startswith("arn:"):
            name = name.split(":parameter", 1)[-1] or name
        return name

    def op_PutParameter(self, req, ctx):
        name = self._param_name(req)
        value = req.get("Value")
        if not isinstance(value, str):
            raise validation("Value null at 'value' failed to satisfy constraint: Member must "
                             "not be null")
        if len(value) > 4096:
            raise validation("Value at 'value' failed to satisfy constraint: Member must have "
                             "length less than or equal to 4096")
        ptype = req.get("Type")
        if ptype is not None and ptype not in ("String", "StringList", "SecureString"):
            raise validation(f"Value '{ptype}' at 'type' failed to satisfy constraint: Member "
                             "must satisfy enum value set: [SecureString, StringList, String]")
        with self.st.lock:  # the check and the write are one step: create-if-absent is atomic
            existing = self.st.parameters.get(name)
            if existing is not None and not req.get("Overwrite", False):
                raise ApiError("ParameterAlreadyExists", "The parameter already exists. To "
                               "overwrite this value, set the overwrite option in the request "
                               "to true.")
            if existing is None and ptype is None:
                raise validation("A parameter type is required when you create a parameter.")
            version = existing["Version"] + 1 if existing else 1
            self.st.parameters[name] = {
                "Name": name,
                "Type": ptype or existing["Type"],
                "Value": value,
                "Version": version,
                "LastModifiedDate": time.time(),
                "ARN": f"arn:aws:ssm:{ctx['region']}:{ACCOUNT_ID}:parameter"
                       + (name if name.startswith("/") else "/" + name),
                "DataType": req.get("DataType", "text"),
                "LastModifiedUser": ctx["arn"],
            }
        return {"Version": version, "Tier": req.get("Tier", "Standard")}

    def op_GetParameter(self, req, ctx):
        name = self._param_name(req)
        with self.st.lock:
            p = self.st.parameters.get(name)
            if p is None:
                raise ApiError("ParameterNotFound", "")
            out = {k: p[k] for k in ("Name", "Type", "Value", "Version", "LastModifiedDate",
                                     "ARN", "DataType")}
        return {"Parameter": out}

    def op_DeleteParameter(self, req, ctx):
        name = self._param_name(req)
        with self.st.lock:
            if name not in self.st.parameters:
                raise ApiError("ParameterNotFound", f"Parameter {name} not found.")
            del self.st.parameters[name]
        return {}


# --------------------------------------------------------------------------------------------
# EC2 and STS (query protocols)


def ec2_describe_instances(st, params):
    ids = [v for k, v in sorted(params.items(), key=lambda kv: _index(kv[0]))
           if re.fullmatch(r"InstanceId\.\d+", k)]
    filters = {}
    for k, v in params.items():
        m = re.fullmatch(r"Filter\.(\d+)\.Name", k)
        if m:
            n = m.group(1)
            vals = [vv for kk, vv in params.items() if re.fullmatch(rf"Filter\.{n}\.Value\.\d+", kk)]
            filters.setdefault(v, set()).update(vals)
    preds = []
    for name, vals in filters.items():
        if name.startswith("tag:"):
            preds.append(lambda i, t=name[4:], vs=vals: i.tags.get(t) in vs)
        elif name == "tag-key":
            preds.append(lambda i, vs=vals: bool(vs & set(i.tags)))
        elif name == "tag-value":
            preds.append(lambda i, vs=vals: bool(vs & set(i.tags.values())))
        elif name == "instance-state-name":
            preds.append(lambda i, vs=vals: i.state in vs)
        elif name == "instance-id":
            preds.append(lambda i, vs=vals: i.id in vs)
        elif name == "private-ip-address":
            preds.append(lambda i, vs=vals: i.ip in vs)
        else:
            raise ApiError("InvalidParameterValue",
                           f"The filter '{name}' is invalid", status=400)
    with st.lock:
        if ids:
            missing = [i for i in ids if i not in st.instances]
            if missing:
                raise ApiError("InvalidInstanceID.NotFound",
                               f"The instance ID{'s' if len(missing) > 1 else ''} "
                               f"'{', '.join(missing)}' do{'' if len(missing) > 1 else 'es'} "
                               "not exist")
        rows = [i for i in st.instances.values()
                if (not ids or i.id in ids) and all(p(i) for p in preds)]
        rows.sort(key=lambda i: i.id)
        nxt = None
        if "MaxResults" in params:
            if ids:
                raise ApiError("InvalidParameterCombination", "The parameter instancesSet cannot "
                               "be used with the parameter maxResults")
            try:
                mr = int(params["MaxResults"])
            except ValueError:
                mr = -1
            if mr < 5 or mr > 1000:
                raise ApiError("InvalidParameterValue", f"Value ( {params['MaxResults']} ) for "
                               "parameter maxResults is invalid. Expecting a value between 5 "
                               "and 1000.")
            try:
                rows, nxt = page(rows, {"MaxResults": mr, "NextToken": params.get("NextToken")},
                                 mr, 5, 1000)
            except ApiError:
                raise ApiError("InvalidParameterValue", "Invalid value for 'nextToken'")
        body = ["<reservationSet>"]
        for i in rows:
            body.append(ec2_reservation_xml(i))
        body.append("</reservationSet>")
        if nxt:
            body.append(f"<nextToken>{escape(nxt)}</nextToken>")
    return "".join(body)


def _index(key):
    m = re.search(r"\.(\d+)$", key)
    return int(m.group(1)) if m else 0


def ec2_reservation_xml(i):
    e = escape
    tags = "".join(f"<item><key>{e(k)}</key><value>{e(v)}</value></item>"
                   for k, v in sorted(i.tags.items()))
    code = INSTANCE_STATE_CODES.get(i.state, 16)
    private_dns = "ip-" + i.ip.replace(".", "-") + ".ec2.internal"
    return (
        "<item>"
        f"<reservationId>{e(i.reservation_id)}</reservationId>"
        f"<ownerId>{ACCOUNT_ID}</ownerId>"
        "<groupSet/>"
        "<instancesSet><item>"
        f"<instanceId>{e(i.id)}</instanceId>"
        f"<imageId>{e(i.image_id)}</imageId>"
        f"<instanceState><code>{code}</code><name>{e(i.state)}</name></instanceState>"
        f"<privateDnsName>{e(private_dns)}</privateDnsName>"
        "<dnsName/>"
        "<reason/>"
        "<amiLaunchIndex>0</amiLaunchIndex>"
        "<productCodes/>"
        f"<instanceType>{e(i.instance_type)}</instanceType>"
        f"<launchTime>{iso(i.launch_time, True)}</launchTime>"
        f"<placement><availabilityZone>{e(i.availability_zone)}</availabilityZone>"
        "<groupName/><tenancy>default</tenancy></placement>"
        "<monitoring><state>disabled</state></monitoring>"
        "<subnetId>subnet-0123456789abcdef0</subnetId>"
        "<vpcId>vpc-0123456789abcdef0</vpcId>"
        f"<privateIpAddress>{e(i.ip)}</privateIpAddress>"
        "<sourceDestCheck>true</sourceDestCheck>"
        "<groupSet/>"
        "<architecture>x86_64</architecture>"
        "<rootDeviceType>ebs</rootDeviceType>"
        "<rootDeviceName>/dev/xvda</rootDeviceName>"
        "<blockDeviceMapping/>"
        "<virtualizationType>hvm</virtualizationType>"
        f"<tagSet>{tags}</tagSet>"
        "<hypervisor>xen</hypervisor>"
        "<networkInterfaceSet/>"
        "<ebsOptimized>false</ebsOptimized>"
        "</item></instancesSet>"
        "</item>"
    )


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


# --------------------------------------------------------------------------------------------
# HTTP


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-aws/1"
    sys_version = ""

    @property
    def st(self):
        return self.server.state

    def log_message(self, fmt, *args):  # request line and status only: never headers
        log(f"{self.address_string()} {fmt % args}")

    # ---- plumbing ----
    def _body(self):
        if hasattr(self, "_cached_body"):
            return self._cached_body
        length = int(self.headers.get("Content-Length") or 0)
        self._cached_body = self.rfile.read(length) if length > 0 else b""
        return self._cached_body

    def _send(self, status, body, ctype, extra=None):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status, obj, ctype="application/json", extra=None):
        self._send(status, json.dumps(obj), ctype, extra)

    def _target(self):
        return self.path.encode("latin-1")

    def do_GET(self):
        self._dispatch()

    def do_HEAD(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def do_PUT(self):
        self._dispatch()

    def do_DELETE(self):
        self._dispatch()

    def _dispatch(self):
        path = urllib.parse.urlsplit(self.path).path
        self._body()  # always consume the body, so a kept-alive connection stays in step
        try:
            if path.startswith("/_fake/"):
                return self._control(path)
            if path.startswith("/latest/"):
                return self._imds(path)
            if path.startswith("/container-credentials"):
                return self._container()
            if path.startswith("/files/"):
                return self._files(path)
            return self._aws_api()
        except BrokenPipeError:
            pass

    # ---- AWS APIs ----
    def _aws_api(self):
        body = self._body()
        target = self.headers.get("X-Amz-Target")
        params = {}
        if target:
            if not target.startswith("AmazonSSM."):
                return self._json(400, {"__type": "UnknownOperationException"},
                                  "application/x-amz-json-1.1")
            service, op = "ssm", target.split(".", 1)[1]
        else:
            query = urllib.parse.urlsplit(self.path).query
            params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
            ctype = self.headers.get("Content-Type", "")
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
                return self._send(404, "not found\n", "text/plain")
        ctx = {"service": service, "operation": op, "region": "", "access_key_id": "",
               "arn": ""}
        try:
            caller = self._authenticate(service, body, ctx)
            ctx["arn"] = caller.arn
            with self.st.lock:
                self.st.api_calls += 1
                n = int(self.st.config.get("throttle_every") or 0)
                throttled = n > 0 and self.st.api_calls % n == 0
            if throttled:
                raise {"ssm": ApiError("ThrottlingException", "Rate exceeded"),
                       "sts": ApiError("Throttling", "Rate exceeded"),
                       "ec2": ApiError("RequestLimitExceeded", "Request limit exceeded.",
                                       status=503)}[service]
            if service == "ssm":
                try:
                    req = json.loads(body or b"{}")
                except json.JSONDecodeError:
                    raise ApiError("SerializationException", "Invalid JSON in request body.")
                result = self.server.ssm.call(op, req, ctx)
                self._record(ctx, 200)
                return self._json(200, result, "application/x-amz-json-1.1",
                                  {"x-amzn-RequestId": str(uuid.uuid4())})
            if service == "ec2":
                if op != "DescribeInstances":
                    raise ApiError("InvalidAction", f"The action {op} is not valid for this "
                                   "web service.")
                inner = ec2_describe_instances(self.st, params)
                rid = str(uuid.uuid4())
                xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<DescribeInstancesResponse '
                       f'xmlns="{EC2_NS}"><requestId>{rid}</requestId>{inner}'
                       "</DescribeInstancesResponse>")
                self._record(ctx, 200)
                return self._send(200, xml, "text/xml;charset=UTF-8")
            if op == "AssumeRole":
                inner = sts_assume_role(self.st, params, caller)
            elif op == "GetCallerIdentity":
                inner = sts_get_caller_identity(caller)
            else:
                raise ApiError("InvalidAction", f"Could not find operation {op} for version "
                               "2011-06-15")
            xml = (f'<{op}Response xmlns="{STS_NS}">{inner}<ResponseMetadata><RequestId>'
                   f"{uuid.uuid4()}</RequestId></ResponseMetadata></{op}Response>")
            self._record(ctx, 200)
            return self._send(200, xml, "text/xml")
        except ApiError as err:
            self._record(ctx, err.status, err.code)
            return self._error(service, err)

    def _record(self, ctx, status, error=None):
        entry = {"service": ctx["service"], "operation": ctx["operation"], "status": status,
                 "access_key_id": ctx["access_key_id"], "region": ctx["region"],
                 "time": time.time()}
        if error:
            entry["error"] = error
        with self.st.lock:
            self.st.calls.append(entry)

    def _error(self, service, err):
        rid = str(uuid.uuid4())
        if service == "ssm":
            body = {"__type": err.code}
            if err.message:
                body["message"] = err.message
            return self._json(err.status, body, "application/x-amz-json-1.1",
                              {"x-amzn-RequestId": rid})
        e = escape
        if service == "ec2":
            xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
                   f"<Code>{e(err.code)}</Code><Message>{e(err.message)}</Message></Error>"
                   f"</Errors><RequestID>{rid}</RequestID></Response>")
            return self._send(err.status, xml, "text/xml;charset=UTF-8")
        kind = "Sender" if err.sender else "Receiver"
        xml = (f'<ErrorResponse xmlns="{STS_NS}"><Error><Type>{kind}</Type>'
               f"<Code>{e(err.code)}</Code><Message>{e(err.message)}</Message></Error>"
               f"<RequestId>{rid}</RequestId></ErrorResponse>")
        return self._send(err.status, xml, "text/xml")

    def _authenticate(self, service, body, ctx):
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
            "ec2": (("AuthFailure", 401), ("SignatureDoesNotMatch", 403),
                    ("MissingAuthenticationToken", 401), ("RequestExpired", 400),
                    ("RequestExpired", 400)),
        }[service]
        unknown, badsig, missing, expired, expired_token = auth_codes
        unknown_msg = ("AWS was not able to validate the provided access credentials"
                       if service == "ec2" else
                       "The security token included in the request is invalid.")
        header = self.headers.get("Authorization")
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
        amz_date = self.headers.get("X-Amz-Date", "")
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
        with self.st.lock:
            cred = self.st.credentials.get(auth.access_key_id)
        if cred is None:
            raise ApiError(unknown[0], unknown_msg, unknown[1])
        token = self.headers.get("X-Amz-Security-Token")
        if cred.token is not None or token is not None:
            if cred.token is None or token != cred.token:
                raise ApiError(unknown[0], unknown_msg, unknown[1])
        if not sigv4.verify_signature(self.command, self._target(), list(self.headers.items()),
                                      body, auth, amz_date, cred.secret):
            raise ApiError(badsig[0], "The request signature we calculated does not match the "
                           "signature you provided. Check your AWS Secret Access Key and signing "
                           "method. Consult the service documentation for details.", badsig[1])
        now = self.st.now()
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

    # ---- IMDSv2 ----
    def _imds(self, path):
        st = self.st
        if path == "/latest/api/token":
            if self.command != "PUT":
                return self._send(405, "", "text/plain")
            if self.headers.get("X-Forwarded-For"):
                return self._send(403, "", "text/plain")
            try:
                ttl = int(self.headers.get("X-aws-ec2-metadata-token-ttl-seconds", ""))
            except ValueError:
                ttl = 0
            if ttl < 1 or ttl > 21600:
                return self._send(400, "", "text/plain")
            token = "AQAEA" + secrets.token_urlsafe(40)
            with st.lock:
                st.imds_tokens[token] = time.time() + ttl
            return self._send(200, token, "text/plain",
                              {"X-aws-ec2-metadata-token-ttl-seconds": str(ttl)})
        token = self.headers.get("X-aws-ec2-metadata-token")
        with st.lock:
            valid = token is not None and st.imds_tokens.get(token, 0) > time.time()
        if not valid:
            return self._send(401, "", "text/plain")
        if self.command not in ("GET", "HEAD"):
            return self._send(405, "", "text/plain")
        role = self.server.args.imds_role
        base = "/latest/meta-data/iam/security-credentials"
        if path in (base, base + "/"):
            return self._send(200, role, "text/plain")
        if path == f"{base}/{role}":
            cred = self._refreshing("imds_credential", "IMDS")
            return self._json(200, {
                "Code": "Success",
                "LastUpdated": iso(cred.issued),
                "Type": "AWS-HMAC",
                "AccessKeyId": cred.access_key,
                "SecretAccessKey": cred.secret,
                "Token": cred.token,
                "Expiration": iso(cred.expiration),
            }, "text/plain")
        if path == "/latest/meta-data/instance-id":
            return self._send(200, self.server.args.imds_instance_id, "text/plain")
        if path in ("/latest/meta-data/placement/region", "/latest/dynamic/instance-identity/"):
            return self._send(200, "us-east-1", "text/plain")
        return self._send(404, "", "text/plain")

    def _refreshing(self, attr, source):
        """The credential a metadata source hands out, re-issued when less than 5 minutes
        remain (as EC2 and ECS rotate theirs ahead of expiry)."""
        st = self.st
        with st.lock:
            cred = getattr(st, attr)
            if cred is None or cred.expiration - time.time() < 300:
                cred = st.issue(source, int(st.config["credential_ttl_seconds"]),
                                arn=f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/"
                                    f"{self.server.args.imds_role}/{source.lower()}")
                cred.issued = time.time()
                setattr(st, attr, cred)
            return cred

    # ---- container credentials ----
    def _container(self):
        want = self.server.args.container_token
        if want is not None and self.headers.get("Authorization") != want:
            return self._json(401 if not self.headers.get("Authorization") else 403,
                              {"Code": "AccessDenied", "Message": "Invalid or missing "
                               "Authorization token"})
        cred = self._refreshing("container_credential", "Container")
        return self._json(200, {
            "AccessKeyId": cred.access_key,
            "SecretAccessKey": cred.secret,
            "Token": cred.token,
            "Expiration": iso(cred.expiration),
            "RoleArn": f"arn:aws:iam::{ACCOUNT_ID}:role/{self.server.args.imds_role}",
        })

    # ---- files ----
    def _files(self, path):
        root = self.server.args.files_dir
        if not root or self.command not in ("GET", "HEAD"):
            return self._send(404, "not found\n", "text/plain")
        rel = urllib.parse.unquote(path[len("/files/"):])
        full = os.path.realpath(os.path.join(root, rel))
        if not full.startswith(os.path.realpath(root) + os.sep) or not os.path.isfile(full):
            return self._send(404, "not found\n", "text/plain")
        with open(full, "rb") as f:
            data = f.read()
        return self._send(200, data, "application/octet-stream")

    # ---- control API ----
    def _control(self, path):
        st = self.st
        if path == "/_fake/config":
            if self.command == "POST":
                try:
                    cfg = json.loads(self._body() or b"{}")
                    apply_config(st, cfg)
                except (ValueError, KeyError, TypeError) as e:
                    return self._json(400, {"error": str(e)})
            with st.lock:
                return self._json(200, st.config)
        if path == "/_fake/calls":
            with st.lock:
                if self.command == "DELETE":
                    st.calls.clear()
                return self._json(200, st.calls)
        if path == "/_fake/invocations":
            with st.lock:
                rows = []
                for cmd in st.commands.values():
                    for inv in cmd.invocations.values():
                        rows.append({
                            "command_id": cmd.id, "instance_id": inv.instance_id,
                            "status": inv.status, "status_details": inv.status_details,
                            "response_code": inv.response_code, "pid": inv.pid,
                            "commands": cmd.parameters.get("commands", []),
                            "comment": cmd.comment, "stdout": inv.stdout, "stderr": inv.stderr,
                            "requested": cmd.requested, "start": inv.start, "end": inv.end,
                            "region": cmd.region,
                        })
                return self._json(200, rows)
        if path == "/_fake/instances":
            with st.lock:
                return self._json(200, [{"id": i.id, "ping_status": i.ping_status,
                                         "state": i.state, "tags": i.tags}
                                        for i in st.instances.values()])
        if path == "/_fake/parameters":
            with st.lock:
                return self._json(200, {k: {"Value": v["Value"], "Version": v["Version"]}
                                        for k, v in st.parameters.items()})
        return self._json(404, {"error": "unknown control path"})


def apply_config(st, cfg):
    if not isinstance(cfg, dict):
        raise ValueError("config must be a JSON object")
    unknown = set(cfg) - {"throttle_every", "clock_skew_seconds", "delivery_timeout_seconds",
                          "invocation_visibility_delay_ms", "credential_ttl_seconds",
                          "cancel_grace_seconds", "ping_status", "instance_state",
                          "add_instances", "expire_temporary_credentials"}
    if unknown:
        raise ValueError(f"unknown config keys: {sorted(unknown)}")
    for iid in list((cfg.get("ping_status") or {})) + list((cfg.get("instance_state") or {})):
        if iid not in st.instances:
            raise ValueError(f"no instance {iid} in the fleet")
    with st.lock:
        for key in ("throttle_every", "clock_skew_seconds", "delivery_timeout_seconds",
                    "invocation_visibility_delay_ms", "credential_ttl_seconds",
                    "cancel_grace_seconds"):
            if key in cfg:
                st.config[key] = cfg[key]
        if "throttle_every" in cfg:
            st.api_calls = 0
        for iid, status in (cfg.get("ping_status") or {}).items():
            if status not in PING_STATUSES:
                raise ValueError(f"ping status {status!r} is not one of {PING_STATUSES}")
            st.instances[iid].ping_status = status
        for iid, state in (cfg.get("instance_state") or {}).items():
            if state not in INSTANCE_STATE_CODES:
                raise ValueError(f"instance state {state!r} is not valid")
            st.instances[iid].state = state
        for spec in cfg.get("add_instances") or []:
            inst = Instance(spec)
            st.instances[inst.id] = inst
        if cfg.get("expire_temporary_credentials"):
            for cred in st.credentials.values():
                if cred.token is not None:
                    cred.expiration = time.time() - 1
            st.imds_credential = st.container_credential = None


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    p.add_argument("--access-key", default=DEFAULT_ACCESS_KEY)
    p.add_argument("--secret-key", default=DEFAULT_SECRET_KEY)
    p.add_argument("--fleet", help="fleet JSON file (see README.md)")
    p.add_argument("--role", action="append", default=[], help="assumable role ARN (repeatable)")
    p.add_argument("--container-token", help="required Authorization for /container-credentials")
    p.add_argument("--files-dir", help="directory served under /files/")
    p.add_argument("--imds-role", default="drover-instance-role")
    p.add_argument("--imds-instance-id", default="i-0fa4e0000000000fa")
    p.add_argument("--credential-ttl", type=int, default=3600,
                   help="lifetime of IMDS/container credentials in seconds")
    args = p.parse_args(argv)

    state = State(args)
    server = Server(("127.0.0.1", args.port), Handler)
    server.state = state
    server.args = args
    server.ssm = Ssm(state, Runner(state))
    port = server.server_address[1]
    if args.port_file:
        tmp = f"{args.port_file}.tmp.{os.getpid()}"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(f"{port}\n")
        os.replace(tmp, args.port_file)
    log(f"listening on 127.0.0.1:{port} ({len(state.instances)} instances, "
        f"{len(state.roles)} roles)")

    def on_term(signum, frame):
        log(f"signal {signum}: shutting down")
        threading.Thread(target=server.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        shutdown_invocations(state)
        server.server_close()
    return 0


def shutdown_invocations(state):
    with state.lock:
        state.stopping = True
        running = [inv for cmd in state.commands.values() for inv in cmd.invocations.values()
                   if inv.proc is not None and inv.proc.poll() is None]
    for inv in running:
        try:
            os.killpg(inv.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.time() + 2
    for inv in running:
        try:
            inv.proc.wait(timeout=max(0.0, deadline - time.time()))
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(inv.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


if __name__ == "__main__":
    sys.exit(main())
