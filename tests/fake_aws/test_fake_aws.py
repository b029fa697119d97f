#!/usr/bin/env python3
"""Self-tests of the fake AWS endpoint: protocol smoke tests against a running endpoint,
signing requests here in Python (test_sigv4_suite.py checks its SigV4 verifier against AWS's
test suite)."""
import base64
import datetime
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sigv4  # noqa: E402

AK = "AKIDDROVERTEST"
SK = "drover+test/secret/wJalrXUtnFEMIK7MDENG"
EC2_NS = "{http://ec2.amazonaws.com/doc/2016-11-15/}"
STS_NS = "{https://sts.amazonaws.com/doc/2011-06-15/}"


def group_gone(pgid, timeout=5.0):
    """True once no process is left in the group (orphans are reaped by init a moment later)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


# --------------------------------------------------------------------------------------------

FLEET = {"instances": [
    {"id": "i-0123456789abcdef0", "ping_status": "Online", "computer_name": "bot-a",
     "ip": "10.0.0.11", "tags": {"drover-fleet": "tradebot", "Name": "a"},
     "env": {"BOT_NAME": "alpha"}},
    {"id": "i-0123456789abcdef1", "ping_status": "Online", "computer_name": "bot-b",
     "ip": "10.0.0.12", "tags": {"drover-fleet": "tradebot"}, "env": {"BOT_NAME": "beta"}},
    {"id": "i-0123456789abcdef2", "ping_status": "ConnectionLost", "computer_name": "bot-c",
     "ip": "10.0.0.13", "tags": {"drover-fleet": "tradebot"}, "state": "stopped"},
    {"id": "i-0123456789abcdef3", "ping_status": "Inactive", "computer_name": "bot-d",
     "ip": "10.0.0.14", "tags": {"drover-fleet": "other"}},
] + [{"id": f"i-00000000000000{n:03d}", "computer_name": f"pad-{n}", "tags": {"pad": "yes"}}
     for n in range(7)]}
ROLE = "arn:aws:iam::123456789012:role/drover-deployer"


class Endpoint:
    """Starts fake_aws.py the way the C++ FakeAws does: --port 0 and a port file."""

    def __init__(self, extra=()):
        self.dir = tempfile.TemporaryDirectory(prefix="fake_aws_test_")
        fleet = os.path.join(self.dir.name, "fleet.json")
        with open(fleet, "w") as f:
            json.dump(FLEET, f)
        self.files = os.path.join(self.dir.name, "files")
        os.mkdir(self.files)
        with open(os.path.join(self.files, "agent.bin"), "wb") as f:
            f.write(b"\x7fELF-not-really")
        port_file = os.path.join(self.dir.name, "port")
        self.log = open(os.path.join(self.dir.name, "stderr.log"), "w+")
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "fake_aws.py"), "--port", "0", "--port-file",
             port_file, "--fleet", fleet, "--role", ROLE, "--container-token", "ctok",
             "--files-dir", self.files, *extra], stderr=self.log)
        deadline = time.time() + 20
        while not os.path.exists(port_file):
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("fake_aws did not start")
            time.sleep(0.02)
        with open(port_file) as f:
            self.port = int(f.read())

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout=10)
        self.log.close()
        self.dir.cleanup()
        return rc

    def raw(self, method, path, body=b"", headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        return resp.status, dict(resp.getheaders()), data

    def signed(self, method, path, body, headers, service, ak=AK, sk=SK, token=None,
               region="eu-west-1", when=None, tamper=None):
        amz_date = (when or datetime.datetime.now(datetime.timezone.utc)).strftime(
            "%Y%m%dT%H%M%SZ")
        hdrs = [("Host", f"127.0.0.1:{self.port}")] + list(headers)
        hdrs = sigv4.sign_headers(method, path.encode(), hdrs, body, ak, sk, region, service,
                                  amz_date, token)
        if tamper:
            body = tamper(body)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for n, v in hdrs:
            conn.putheader(n, v)
        conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        return resp.status, data

    def ssm(self, op, req, **kw):
        body = json.dumps(req).encode()
        status, data = self.signed("POST", "/", body, [
            ("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", f"AmazonSSM.{op}")],
            "ssm", **kw)
        return status, json.loads(data) if data else None

    def query(self, service, params, **kw):
        body = urllib.parse.urlencode(params).encode()
        status, data = self.signed("POST", "/", body, [
            ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")], service, **kw)
        return status, ET.fromstring(data)

    def control(self, method, path, obj=None):
        status, _, data = self.raw(method, path, json.dumps(obj).encode() if obj else b"")
        return status, json.loads(data)


class Protocols(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ep = Endpoint()

    @classmethod
    def tearDownClass(cls):
        cls.ep.stop()

    def setUp(self):
        self.ep.control("POST", "/_fake/config", {"throttle_every": 0, "clock_skew_seconds": 0,
                                                  "delivery_timeout_seconds": None})

    def ok(self, op, req, **kw):
        status, out = self.ep.ssm(op, req, **kw)
        self.assertEqual(status, 200, out)
        return out

    def send(self, instances, lines, **extra):
        req = {"DocumentName": "AWS-RunShellScript", "InstanceIds": instances,
               "Parameters": {"commands": lines}, "TimeoutSeconds": 30, "Comment": "t"}
        req.update(extra)
        return self.ok("SendCommand", req)["Command"]

    def wait(self, cid, iid, timeout=20):
        deadline = time.time() + timeout
        while True:
            out = self.ok("GetCommandInvocation", {"CommandId": cid, "InstanceId": iid})
            if out["Status"] in ("Success", "Failed", "TimedOut", "Cancelled"):
                return out
            self.assertLess(time.time(), deadline, out)
            time.sleep(0.05)

    # ---- SigV4 at the door ----
    def test_unknown_key_is_unrecognized_client(self):
        status, out = self.ep.ssm("ListCommands", {}, ak="AKIDNOBODY")
        self.assertEqual((status, out["__type"]), (400, "UnrecognizedClientException"))
        self.assertEqual(out["message"], "The security token included in the request is invalid.")

    def test_wrong_secret_and_tampered_body_are_invalid_signature(self):
        for kw in ({"sk": SK + "x"}, {"tamper": lambda b: b.replace(b"{}", b"{ }")}):
            status, out = self.ep.ssm("ListCommands", {}, **kw)
            self.assertEqual((status, out["__type"]), (400, "InvalidSignatureException"))
            self.assertTrue(out["message"].startswith(
                "The request signature we calculated does not match the signature you provided. "
                "Check your AWS Secret Access Key and signing method."))

    def test_wrong_service_scope_and_clock_skew(self):
        body = b"{}"
        status, data = self.ep.signed("POST", "/", body, [("X-Amz-Target", "AmazonSSM.ListCommands"),
                                                          ("Content-Type", "application/x-amz-json-1.1")], "ec2")
        self.assertEqual(status, 400)
        self.assertIn("correct service: 'ssm'", json.loads(data)["message"])
        old = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=20)
        status, out = self.ep.ssm("ListCommands", {}, when=old)
        self.assertEqual((status, out["__type"]), (400, "InvalidSignatureException"))
        self.assertIn("Signature expired", out["message"])
        self.ep.control("POST", "/_fake/config", {"clock_skew_seconds": -1200})
        self.assertEqual(self.ep.ssm("ListCommands", {}, when=old)[0], 200)

    def test_throttling_and_call_log(self):
        self.ep.control("DELETE", "/_fake/calls")
        self.ep.control("POST", "/_fake/config", {"throttle_every": 2})
        self.assertEqual(self.ep.ssm("ListCommands", {})[0], 200)
        status, out = self.ep.ssm("ListCommands", {})
        self.assertEqual((status, out), (400, {"__type": "ThrottlingException",
                                               "message": "Rate exceeded"}))
        self.ep.control("POST", "/_fake/config", {"throttle_every": 0})
        _, calls = self.ep.control("GET", "/_fake/calls")
        self.assertEqual([c["status"] for c in calls[:2]], [200, 400])
        self.assertEqual(calls[0]["region"], "eu-west-1")
        self.assertEqual(calls[0]["access_key_id"], AK)
        self.assertNotIn(SK, json.dumps(calls))

    def test_token_bucket_throttles_what_exceeds_it_and_refills(self):
        self.ep.control("POST", "/_fake/config", {"throttle_bucket": {"size": 3, "per_second": 2}})
        try:
            statuses = [self.ep.ssm("ListCommands", {})[0] for _ in range(5)]
            self.assertEqual(statuses[:3], [200, 200, 200])  # the bucket's three tokens
            self.assertIn(400, statuses[3:])  # then faster than 2 a second: throttled
            time.sleep(0.6)  # a token back
            self.assertEqual(self.ep.ssm("ListCommands", {})[0], 200)
            status, _ = self.ep.control("POST", "/_fake/config",
                                        {"throttle_bucket": {"size": 0, "per_second": 1}})
            self.assertEqual(status, 400)
        finally:
            self.ep.control("POST", "/_fake/config", {"throttle_bucket": None})

    def test_a_held_send_command_answer_comes_late_but_the_command_already_exists(self):
        self.ep.control("POST", "/_fake/config",
                        {"hold_send_command_answers": {"count": 1, "seconds": 1.5}})
        try:
            started = time.time()
            cmd = self.send(["i-0123456789abcdef0"], ["true"], Comment="held #1")
            self.assertGreaterEqual(time.time() - started, 1.5)
            listed = self.ok("ListCommands", {"InstanceId": "i-0123456789abcdef0"})["Commands"]
            self.assertEqual(listed[0]["CommandId"], cmd["CommandId"])
            self.assertEqual(listed[0]["Comment"], "held #1")
            started = time.time()
            self.send(["i-0123456789abcdef0"], ["true"])  # the count is used up
            self.assertLess(time.time() - started, 1.5)
            status, _ = self.ep.control("POST", "/_fake/config",
                                        {"hold_send_command_answers": {"count": -1, "seconds": 1}})
            self.assertEqual(status, 400)
        finally:
            self.ep.control("POST", "/_fake/config", {"hold_send_command_answers": None})

    def test_an_instance_that_drops_off_as_its_command_arrives_waits_alone_for_delivery(self):
        a, b = "i-0123456789abcdef0", "i-0123456789abcdef1"
        self.ep.control("POST", "/_fake/config",
                        {"offline_on_command": {"instance": b, "match": "echo"}})
        try:
            cmd = self.send([a, b], ["echo hi"])
            time.sleep(1.0)
            rows = {r["InstanceId"]: r for r in self.ok(
                "ListCommandInvocations", {"CommandId": cmd["CommandId"]})["CommandInvocations"]}
            self.assertEqual(rows[a]["Status"], "Success")
            self.assertEqual(rows[b]["Status"], "Pending")
            _, instances = self.ep.control("GET", "/_fake/instances")
            self.assertEqual({i["id"]: i["ping_status"] for i in instances}[b], "ConnectionLost")
            _, config = self.ep.control("GET", "/_fake/config")
            self.assertIsNone(config["offline_on_command"], "used once")
            status, _ = self.ep.control("POST", "/_fake/config",
                                        {"offline_on_command": {"instance": "i-nope"}})
            self.assertEqual(status, 400)
        finally:
            self.ep.control("POST", "/_fake/config", {"ping_status": {b: "Online"}})

    def test_page_limit_cuts_every_list_into_pages_with_a_token(self):
        self.ep.control("POST", "/_fake/config", {"page_limit": 1})
        try:
            out = self.ok("DescribeInstanceInformation", {"MaxResults": 50})
            self.assertEqual(len(out["InstanceInformationList"]), 1)
            self.assertIn("NextToken", out)
            status, _ = self.ep.control("POST", "/_fake/config", {"page_limit": 0})
            self.assertEqual(status, 400)
        finally:
            self.ep.control("POST", "/_fake/config", {"page_limit": None})
        out = self.ok("DescribeInstanceInformation", {"MaxResults": 50})
        self.assertGreater(len(out["InstanceInformationList"]), 1)

    # ---- SSM ----
    def test_describe_instance_information_filters_and_pages(self):
        out = self.ok("DescribeInstanceInformation", {"Filters": [
            {"Key": "tag:drover-fleet", "Values": ["tradebot"]},
            {"Key": "PingStatus", "Values": ["Online"]}]})
        self.assertEqual([i["InstanceId"] for i in out["InstanceInformationList"]],
                         ["i-0123456789abcdef0", "i-0123456789abcdef1"])
        info = out["InstanceInformationList"][0]
        self.assertEqual((info["ComputerName"], info["IPAddress"], info["PlatformType"]),
                         ("bot-a", "10.0.0.11", "Linux"))
        self.assertIsInstance(info["LastPingDateTime"], float)
        seen, token = [], None
        while True:
            req = {"MaxResults": 5}
            if token:
                req["NextToken"] = token
            out = self.ok("DescribeInstanceInformation", req)
            seen += [i["InstanceId"] for i in out["InstanceInformationList"]]
            token = out.get("NextToken")
            if not token:
                break
        self.assertEqual(len(seen), 11)
        self.assertEqual(self.ep.ssm("DescribeInstanceInformation", {"MaxResults": 2})[1]["__type"],
                         "ValidationException")
        self.assertEqual(self.ep.ssm("DescribeInstanceInformation", {"NextToken": "zz"})[1]["__type"],
                         "InvalidNextToken")

    def test_send_command_runs_with_instance_env(self):
        cmd = self.send(["i-0123456789abcdef0", "i-0123456789abcdef1"],
                        ["echo hello $BOT_NAME", "echo $AWS_SSM_INSTANCE_ID", "echo oops >&2"])
        self.assertEqual(len(cmd["CommandId"]), 36)
        self.assertIn(cmd["Status"], ("Pending", "InProgress"))
        a = self.wait(cmd["CommandId"], "i-0123456789abcdef0")
        b = self.wait(cmd["CommandId"], "i-0123456789abcdef1")
        self.assertEqual((a["Status"], a["StatusDetails"], a["ResponseCode"]), ("Success", "Success", 0))
        self.assertEqual(a["StandardOutputContent"], "hello alpha\ni-0123456789abcdef0\n")
        self.assertEqual(b["StandardOutputContent"], "hello beta\ni-0123456789abcdef1\n")
        self.assertEqual(a["StandardErrorContent"], "oops\n")
        self.assertEqual(a["PluginName"], "aws:runShellScript")
        self.assertTrue(a["ExecutionElapsedTime"].startswith("PT"))
        out = self.ok("ListCommands", {"CommandId": cmd["CommandId"]})
        self.assertEqual(out["Commands"][0]["Status"], "Success")
        self.assertEqual(out["Commands"][0]["CompletedCount"], 2)

    def test_failure_and_truncation(self):
        cmd = self.send(["i-0123456789abcdef0"], [
            "head -c 30000 /dev/zero | tr '\\0' o", "head -c 9000 /dev/zero | tr '\\0' e >&2",
            "exit 3"])
        out = self.wait(cmd["CommandId"], "i-0123456789abcdef0")
        self.assertEqual((out["Status"], out["ResponseCode"]), ("Failed", 3))
        self.assertEqual(out["StandardOutputContent"], "o" * 24000)
        self.assertEqual(out["StandardErrorContent"], "e" * 8000)

    def test_a_script_that_cannot_start_fails_alone_and_the_next_runs(self):
        cmd = self.send(["i-0123456789abcdef0"], ["echo never"],
                        Parameters={"commands": ["echo never"],
                                    "workingDirectory": ["/nonexistent/fake-aws-cwd"]})
        out = self.wait(cmd["CommandId"], "i-0123456789abcdef0")
        self.assertEqual((out["Status"], out["ResponseCode"]), ("Failed", 1))
        self.assertIn("failed to run commands", out["StandardErrorContent"])
        cmd = self.send(["i-0123456789abcdef0"], ["echo after"])
        out = self.wait(cmd["CommandId"], "i-0123456789abcdef0")
        self.assertEqual((out["Status"], out["StandardOutputContent"]), ("Success", "after\n"))

    def test_each_of_many_short_scripts_reports_its_own_end_and_output(self):
        # The spawner names ends by request, not pid: pids come round again at fleet scale.
        ids = ["i-0123456789abcdef0", "i-0123456789abcdef1"]
        sent = [self.send(ids, [f"echo run-{k} $AWS_SSM_INSTANCE_ID", f"exit {k % 3}"])
                for k in range(12)]
        for k, cmd in enumerate(sent):
            for iid in ids:
                out = self.wait(cmd["CommandId"], iid)
                self.assertEqual(out["ResponseCode"], k % 3)
                self.assertEqual(out["StandardOutputContent"], f"run-{k} {iid}\n")

    def test_execution_timeout(self):
        cmd = self.send(["i-0123456789abcdef0"], ["sleep 30"],
                        Parameters={"commands": ["sleep 30"], "executionTimeout": ["1"]})
        out = self.wait(cmd["CommandId"], "i-0123456789abcdef0")
        self.assertEqual((out["Status"], out["StatusDetails"], out["ResponseCode"]),
                         ("TimedOut", "ExecutionTimedOut", 137))

    def test_cancel_kills_process_group(self):
        cmd = self.send(["i-0123456789abcdef0"], ["sleep 60 & sleep 60; echo never"])
        cid = cmd["CommandId"]
        deadline = time.time() + 10
        while True:
            _, invs = self.ep.control("GET", "/_fake/invocations")
            inv = [i for i in invs if i["command_id"] == cid][0]
            if inv["status"] == "InProgress":
                break
            self.assertLess(time.time(), deadline)
            time.sleep(0.05)
        self.ok("CancelCommand", {"CommandId": cid})
        out = self.wait(cid, "i-0123456789abcdef0")
        self.assertEqual((out["Status"], out["StatusDetails"]), ("Cancelled", "Cancelled"))
        self.assertTrue(group_gone(inv["pid"]))

    def test_unreachable_instances(self):
        self.ep.control("POST", "/_fake/config", {"delivery_timeout_seconds": 0.5})
        cmd = self.send(["i-0123456789abcdef2", "i-0123456789abcdef3"], ["true"])
        lost = self.wait(cmd["CommandId"], "i-0123456789abcdef2")
        self.assertEqual((lost["Status"], lost["StatusDetails"], lost["ResponseCode"]),
                         ("TimedOut", "DeliveryTimedOut", -1))
        gone = self.wait(cmd["CommandId"], "i-0123456789abcdef3")
        self.assertEqual((gone["Status"], gone["StatusDetails"]), ("Failed", "Undeliverable"))
        status, out = self.ep.ssm("SendCommand", {"DocumentName": "AWS-RunShellScript",
                                                  "InstanceIds": ["i-0fffffffffffffff0"],
                                                  "Parameters": {"commands": ["true"]}})
        self.assertEqual(out["__type"], "InvalidInstanceId")

    def test_instance_coming_back_online_gets_the_command(self):
        iid = "i-00000000000000006"
        self.ep.control("POST", "/_fake/config", {"ping_status": {iid: "ConnectionLost"}})
        cmd = self.send([iid], ["echo late"])
        time.sleep(0.3)
        out = self.ok("GetCommandInvocation", {"CommandId": cmd["CommandId"], "InstanceId": iid})
        self.assertEqual(out["Status"], "Pending")
        self.ep.control("POST", "/_fake/config", {"ping_status": {iid: "Online"}})
        self.assertEqual(self.wait(cmd["CommandId"], iid)["StandardOutputContent"], "late\n")

    def test_list_command_invocations_details_and_errors(self):
        cmd = self.send(["i-0123456789abcdef0", "i-0123456789abcdef1"], ["echo hi"])
        for iid in ("i-0123456789abcdef0", "i-0123456789abcdef1"):
            self.wait(cmd["CommandId"], iid)
        first = self.ok("ListCommandInvocations", {"CommandId": cmd["CommandId"],
                                                   "Details": True, "MaxResults": 1})
        self.assertEqual(len(first["CommandInvocations"]), 1)
        plugin = first["CommandInvocations"][0]["CommandPlugins"][0]
        self.assertEqual((plugin["Name"], plugin["Output"], plugin["ResponseCode"]),
                         ("aws:runShellScript", "hi\n", 0))
        second = self.ok("ListCommandInvocations", {"CommandId": cmd["CommandId"],
                                                    "MaxResults": 1, "NextToken": first["NextToken"]})
        self.assertNotIn("NextToken", second)
        self.assertEqual(second["CommandInvocations"][0]["CommandPlugins"], [])
        status, out = self.ep.ssm("GetCommandInvocation", {
            "CommandId": "00000000-0000-0000-0000-000000000000", "InstanceId": "i-0123456789abcdef0"})
        self.assertEqual((status, out["__type"]), (400, "InvocationDoesNotExist"))
        status, out = self.ep.ssm("SendCommand", {"DocumentName": "AWS-RunPowerShellScript",
                                                  "InstanceIds": ["i-0123456789abcdef0"],
                                                  "Parameters": {"commands": ["x"]}})
        self.assertEqual(out["__type"], "InvalidDocument")

    # ---- Parameter Store ----
    def test_parameter_store_lock_is_atomic(self):
        name = "/drover/lock/" + str(time.time())
        results = []

        def grab(n):
            results.append(self.ep.ssm("PutParameter", {"Name": name, "Value": f"owner-{n}",
                                                         "Type": "String", "Overwrite": False}))
        threads = [threading.Thread(target=grab, args=(n,)) for n in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        winners = [out for status, out in results if status == 200]
        losers = [out["__type"] for status, out in results if status != 200]
        self.assertEqual(len(winners), 1)
        self.assertEqual(winners[0], {"Version": 1, "Tier": "Standard"})
        self.assertEqual(losers, ["ParameterAlreadyExists"] * 11)
        got = self.ok("GetParameter", {"Name": name})["Parameter"]
        self.assertEqual((got["Name"], got["Type"], got["Version"]), (name, "String", 1))
        self.assertEqual(self.ok("PutParameter", {"Name": name, "Value": "x", "Overwrite": True}),
                         {"Version": 2, "Tier": "Standard"})
        self.assertEqual(self.ok("DeleteParameter", {"Name": name}), {})
        self.assertEqual(self.ep.ssm("GetParameter", {"Name": name})[1]["__type"], "ParameterNotFound")
        self.assertEqual(self.ep.ssm("DeleteParameter", {"Name": name})[1]["__type"],
                         "ParameterNotFound")

    # ---- EC2 ----
    def test_ec2_describe_instances(self):
        status, root = self.ep.query("ec2", {
            "Action": "DescribeInstances", "Version": "2016-11-15",
            "Filter.1.Name": "tag:drover-fleet", "Filter.1.Value.1": "tradebot",
            "Filter.2.Name": "instance-state-name", "Filter.2.Value.1": "running"})
        self.assertEqual(status, 200)
        self.assertEqual(root.tag, EC2_NS + "DescribeInstancesResponse")
        items = root.findall(f"{EC2_NS}reservationSet/{EC2_NS}item/{EC2_NS}instancesSet/{EC2_NS}item")
        self.assertEqual([i.findtext(EC2_NS + "instanceId") for i in items],
                         ["i-0123456789abcdef0", "i-0123456789abcdef1"])
        first = items[0]
        self.assertEqual(first.findtext(f"{EC2_NS}instanceState/{EC2_NS}name"), "running")
        self.assertEqual(first.findtext(f"{EC2_NS}privateIpAddress"), "10.0.0.11")
        tags = {t.findtext(EC2_NS + "key"): t.findtext(EC2_NS + "value")
                for t in first.findall(f"{EC2_NS}tagSet/{EC2_NS}item")}
        self.assertEqual(tags, {"drover-fleet": "tradebot", "Name": "a"})
        status, root = self.ep.query("ec2", {"Action": "DescribeInstances", "Version": "2016-11-15",
                                             "InstanceId.1": "i-0ffffffffffffffff"})
        self.assertEqual(status, 400)
        self.assertEqual(root.findtext("Errors/Error/Code"), "InvalidInstanceID.NotFound")
        status, root = self.ep.query("ec2", {"Action": "DescribeInstances", "Version": "2016-11-15"},
                                     ak="AKIDNOBODY")
        self.assertEqual((status, root.findtext("Errors/Error/Code")), (401, "AuthFailure"))

    # ---- ECR ----
    def ecr(self, op, req, **kw):
        body = json.dumps(req).encode()
        status, data = self.ep.signed("POST", "/", body, [
            ("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", f"AmazonEC2ContainerRegistry_V20150921.{op}")], "ecr", **kw)
        return status, json.loads(data) if data else None

    def test_ecr_get_authorization_token(self):
        status, out = self.ecr("GetAuthorizationToken", {"registryIds": ["123456789012"]})
        self.assertEqual(status, 200, out)
        (data,) = out["authorizationData"]
        self.assertEqual(base64.b64decode(data["authorizationToken"]).decode(),
                         "AWS:drover-ecr-token-password")
        self.assertEqual(data["proxyEndpoint"],
                         "https://123456789012.dkr.ecr.eu-west-1.amazonaws.com")
        self.assertGreater(data["expiresAt"], time.time() + 11 * 3600)
        status, out = self.ecr("GetAuthorizationToken", {"registryIds": ["12345"]})
        self.assertEqual((status, out["__type"]), (400, "InvalidParameterException"))
        status, out = self.ecr("GetAuthorizationToken", {}, sk=SK + "x")
        self.assertEqual((status, out["__type"]), (400, "InvalidSignatureException"))
        status, out = self.ecr("GetAuthorizationToken", {}, ak="AKIDNOBODY")
        self.assertEqual((status, out["__type"]), (400, "UnrecognizedClientException"))

    # ---- STS, IMDS, container ----
    def test_assume_role_credentials_are_accepted(self):
        status, root = self.ep.query("sts", {"Action": "AssumeRole", "Version": "2011-06-15",
                                             "RoleArn": ROLE, "RoleSessionName": "drover",
                                             "DurationSeconds": "900"}, region="us-east-1")
        self.assertEqual(status, 200)
        creds = root.find(f"{STS_NS}AssumeRoleResult/{STS_NS}Credentials")
        ak, sk, tok = (creds.findtext(STS_NS + k) for k in ("AccessKeyId", "SecretAccessKey",
                                                             "SessionToken"))
        self.assertTrue(ak.startswith("ASIA"))
        self.assertTrue(root.findtext(f"{STS_NS}AssumeRoleResult/{STS_NS}AssumedRoleUser/{STS_NS}Arn")
                        .endswith(":assumed-role/drover-deployer/drover"))
        self.assertEqual(self.ep.ssm("ListCommands", {}, ak=ak, sk=sk, token=tok)[0], 200)
        status, out = self.ep.ssm("ListCommands", {}, ak=ak, sk=sk)
        self.assertEqual(out["__type"], "UnrecognizedClientException")
        status, root = self.ep.query("sts", {"Action": "AssumeRole", "Version": "2011-06-15",
                                             "RoleArn": ROLE + "x", "RoleSessionName": "drover"})
        self.assertEqual((status, root.findtext(f"{STS_NS}Error/{STS_NS}Code")), (403, "AccessDenied"))
        self.ep.control("POST", "/_fake/config", {"expire_temporary_credentials": True})
        status, out = self.ep.ssm("ListCommands", {}, ak=ak, sk=sk, token=tok)
        self.assertEqual((status, out["__type"]), (400, "ExpiredTokenException"))

    def test_imds_v2(self):
        self.assertEqual(self.ep.raw("GET", "/latest/meta-data/iam/security-credentials/")[0], 401)
        status, _, token = self.ep.raw("PUT", "/latest/api/token", headers={
            "X-aws-ec2-metadata-token-ttl-seconds": "60"})
        self.assertEqual(status, 200)
        h = {"X-aws-ec2-metadata-token": token.decode()}
        status, _, role = self.ep.raw("GET", "/latest/meta-data/iam/security-credentials/", headers=h)
        self.assertEqual((status, role), (200, b"drover-instance-role"))
        status, _, data = self.ep.raw(
            "GET", "/latest/meta-data/iam/security-credentials/" + role.decode(), headers=h)
        cred = json.loads(data)
        self.assertEqual((cred["Code"], cred["Type"]), ("Success", "AWS-HMAC"))
        self.assertEqual(self.ep.ssm("ListCommands", {}, ak=cred["AccessKeyId"],
                                     sk=cred["SecretAccessKey"], token=cred["Token"])[0], 200)

    def test_container_credentials_and_files(self):
        self.assertEqual(self.ep.raw("GET", "/container-credentials/x")[0], 401)
        self.assertEqual(self.ep.raw("GET", "/container-credentials/x",
                                     headers={"Authorization": "nope"})[0], 403)
        status, _, data = self.ep.raw("GET", "/container-credentials/x",
                                      headers={"Authorization": "ctok"})
        cred = json.loads(data)
        self.assertEqual(status, 200)
        self.assertEqual(self.ep.ssm("ListCommands", {}, ak=cred["AccessKeyId"],
                                     sk=cred["SecretAccessKey"], token=cred["Token"])[0], 200)
        self.assertEqual(self.ep.raw("GET", "/files/agent.bin")[2], b"\x7fELF-not-really")
        self.assertEqual(self.ep.raw("GET", "/files/../fleet.json")[0], 404)


class Lifecycle(unittest.TestCase):
    def test_sigterm_kills_running_invocations_and_removes_their_directories(self):
        ep = Endpoint()
        status, out = ep.ssm("SendCommand", {"DocumentName": "AWS-RunShellScript",
                                             "InstanceIds": ["i-0123456789abcdef0"],
                                             "Parameters": {"commands": ["sleep 120"]}})
        self.assertEqual(status, 200, out)
        deadline = time.time() + 10
        pid = None
        while pid is None:
            _, invs = ep.control("GET", "/_fake/invocations")
            pid = invs[0]["pid"]
            self.assertLess(time.time(), deadline)
            time.sleep(0.05)
        ep.log.seek(0)
        work = re.search(r"work directory (\S+)", ep.log.read()).group(1)
        self.assertTrue(os.path.isdir(os.path.join(work, "i-0123456789abcdef0")))
        self.assertEqual(ep.stop(), 0)
        self.assertTrue(group_gone(pid))
        self.assertFalse(os.path.exists(work), "the scripts' directories outlive the endpoint")


if __name__ == "__main__":
    unittest.main(verbosity=2)
