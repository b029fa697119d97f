"""The test-only control API under /_fake/: fault-injection config (and fleet changes)
through /_fake/config, and read-outs of calls, invocations, instances and parameters.
"""
import json
import time

import pagination

from model import INSTANCE_STATE_CODES, PING_STATUSES, Instance


def serve_control(h, path):
    st = h.st
    if path == "/_fake/config":
        if h.command == "POST":
            try:
                cfg = json.loads(h._body() or b"{}")
                apply_config(st, cfg)
            except (ValueError, KeyError, TypeError) as e:
                return h._json(400, {"error": str(e)})
        with st.lock:
            return h._json(200, st.config)
    if path == "/_fake/calls":
        with st.lock:
            if h.command == "DELETE":
                st.calls.clear()
            return h._json(200, st.calls)
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
            return h._json(200, rows)
    if path == "/_fake/instances":
        with st.lock:
            return h._json(200, [{"id": i.id, "ping_status": i.ping_status,
                                  "state": i.state, "tags": i.tags}
                                 for i in st.instances.values()])
    if path == "/_fake/parameters":
        with st.lock:
            return h._json(200, {k: {"Value": v["Value"], "Version": v["Version"]}
                                 for k, v in st.parameters.items()})
    return h._json(404, {"error": "unknown control path"})


def apply_config(st, cfg):
    if not isinstance(cfg, dict):
        raise ValueError("config must be a JSON object")
    unknown = set(cfg) - {"throttle_every", "throttle_bucket", "clock_skew_seconds",
                          "delivery_timeout_seconds",
                          "invocation_visibility_delay_ms", "credential_ttl_seconds",
                          "cancel_grace_seconds", "ping_status", "instance_state",
                          "add_instances", "expire_temporary_credentials",
                          "hold_send_command_answers", "offline_on_command", "page_limit"}
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
        if "hold_send_command_answers" in cfg:
            hold = cfg["hold_send_command_answers"]
            if hold is not None and not (
                    isinstance(hold, dict) and {"count", "seconds"} <= set(hold)
                    and set(hold) <= {"count", "seconds", "match"}
                    and int(hold["count"]) >= 0 and float(hold["seconds"]) >= 0):
                raise ValueError("hold_send_command_answers is null or "
                                 "{\"count\": >= 0, \"seconds\": >= 0, \"match\": text}")
            st.config["hold_send_command_answers"] = dict(hold) if hold else None
        if "page_limit" in cfg:
            limit = cfg["page_limit"]
            if limit is not None and not (isinstance(limit, int) and limit >= 1):
                raise ValueError("page_limit is null or an integer >= 1")
            st.config["page_limit"] = limit
            pagination.page_limit = limit
        if "offline_on_command" in cfg:
            drop = cfg["offline_on_command"]
            if drop is not None and not (
                    isinstance(drop, dict) and "instance" in drop
                    and set(drop) <= {"instance", "match"} and drop["instance"] in st.instances):
                raise ValueError("offline_on_command is null or "
                                 "{\"instance\": an instance id of the fleet, \"match\": text}")
            st.config["offline_on_command"] = dict(drop) if drop else None
        if "throttle_bucket" in cfg:
            bucket = cfg["throttle_bucket"]
            if bucket is not None and not (
                    isinstance(bucket, dict) and set(bucket) == {"size", "per_second"}
                    and float(bucket["size"]) >= 1 and float(bucket["per_second"]) > 0):
                raise ValueError("throttle_bucket is null or {\"size\": >= 1, \"per_second\": > 0}")
            st.config["throttle_bucket"] = bucket
            st.bucket_tokens = float(bucket["size"]) if bucket else 0.0
            st.bucket_time = time.monotonic()
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
