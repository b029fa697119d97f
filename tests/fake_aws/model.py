"""The resources the endpoint holds: fleet instances (as SSM managed nodes and EC2
instances), Run Command commands and their per-instance invocations, and how a command's
status rolls up from its invocations.
"""
import hashlib
import os
import re
import time
import uuid

PING_STATUSES = ("Online", "ConnectionLost", "Inactive")
INSTANCE_STATE_CODES = {"pending": 0, "running": 16, "shutting-down": 32, "terminated": 48,
                        "stopping": 64, "stopped": 80}
TERMINAL = ("Success", "Failed", "TimedOut", "Cancelled")


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
        self.script = None  # the spawner's id of its script (spawner.py)
        self.cancel_requested = False
        self.wake_fd = None  # the write end of the runner's wake-up pipe while the script runs
        self.visible_at = time.time()

    def terminal(self):
        return self.status in TERMINAL

    def request_cancel(self):
        """Marks the invocation cancelled and wakes its runner. Call with the state lock held:
        the runner closes wake_fd under it, so the descriptor is never one reused since."""
        self.cancel_requested = True
        if self.wake_fd is not None:
            try:
                os.write(self.wake_fd, b"c")
            except OSError:
                pass  # the pipe is full: the runner is awake already


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
