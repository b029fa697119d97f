#!/usr/bin/env python3
"""A local endpoint that speaks AWS's real wire protocols, for drover's tests.

One process, one port on 127.0.0.1: SSM (JSON 1.1) including Parameter Store, EC2
DescribeInstances (ec2 query protocol), STS AssumeRole/GetCallerIdentity (query protocol),
ECR GetAuthorizationToken (JSON 1.1), IMDSv2, container credentials, a file server and a test-only control API under /_fake/.
Every AWS API request is SigV4-verified. See README.md next to this file.

This file is the entry point: command line, server start-up, port file, signal handling and
routing each request to the module that owns it (aws_api, imds, files, control_api).
"""
import argparse
import http.server
import json
import os
import shutil
import signal
import sys
import threading
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import aws_api  # noqa: E402
import control_api  # noqa: E402
import files  # noqa: E402
import imds  # noqa: E402
from invocations import Runner, shutdown_invocations  # noqa: E402
from ssm_api import Ssm  # noqa: E402
from state import State  # noqa: E402
from wire import log  # noqa: E402

DEFAULT_ACCESS_KEY = "AKIDDROVERTEST"
DEFAULT_SECRET_KEY = "drover+test/secret/wJalrXUtnFEMIK7MDENG"


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
        # Headers and body in one write, as a server in front of AWS sends a small answer: a
        # client then wakes once per answer, not once for the headers and again for the body.
        self._headers_buffer.append(b"\r\n")
        if self.command != "HEAD":
            self._headers_buffer.append(body)
        self.flush_headers()

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
        # One handler serves every request of a kept-alive connection: forget the last body.
        self.__dict__.pop("_cached_body", None)
        self._body()  # always consume the body, so a kept-alive connection stays in step
        try:
            if path.startswith("/_fake/"):
                return control_api.serve_control(self, path)
            if path.startswith("/latest/"):
                return imds.serve_imds(self, path)
            if path.startswith("/container-credentials"):
                return imds.serve_container(self)
            if path.startswith("/files/"):
                return files.serve_files(self, path)
            return aws_api.serve_aws_api(self)
        except BrokenPipeError:
            pass


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
    p.add_argument("--ecr-password", default="drover-ecr-token-password",
                   help="the password half of ECR authorization tokens (user AWS)")
    p.add_argument("--max-scripts", type=int, default=0,
                   help="at most this many SendCommand scripts at once, the rest Pending "
                        "(0: no limit)")
    p.add_argument("--credential-ttl", type=int, default=3600,
                   help="lifetime of IMDS/container credentials in seconds")
    args = p.parse_args(argv)

    state = State(args)
    server = Server(("127.0.0.1", args.port), Handler)
    server.state = state
    server.args = args
    server.ssm = Ssm(state, Runner(state, args.max_scripts))
    port = server.server_address[1]
    if args.port_file:
        tmp = f"{args.port_file}.tmp.{os.getpid()}"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(f"{port}\n")
        os.replace(tmp, args.port_file)
    log(f"listening on 127.0.0.1:{port} ({len(state.instances)} instances, "
        f"{len(state.roles)} roles); work directory {state.work_root}")

    def on_term(signum, frame):
        log(f"signal {signum}: shutting down")
        threading.Thread(target=server.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        shutdown_invocations(state, server.ssm.runner)
        server.server_close()
        # The scripts' working directories: 10,000 instances leave 10,000 of them per run.
        shutil.rmtree(state.work_root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
