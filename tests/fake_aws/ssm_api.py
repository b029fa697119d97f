"""The SSM JSON 1.1 service: operation dispatch, Run Command (SendCommand,
GetCommandInvocation, ListCommandInvocations, ListCommands, CancelCommand) and
DescribeInstanceInformation. Parameter Store operations come from parameter_store.py.
"""
import datetime
import re
import time

from errors import ApiError, validation
from model import PING_STATUSES, Command, Invocation
from pagination import page
from parameter_store import ParameterStore
from wire import ACCOUNT_ID, iso

STDOUT_LIMIT = 24000  # GetCommandInvocationResult.StandardOutputContent max
STDERR_LIMIT = 8000  # GetCommandInvocationResult.StandardErrorContent max
PLUGIN_OUTPUT_LIMIT = 2500  # CommandPlugin.Output max
PLUGIN_NAME = "aws:runShellScript"


class Ssm(ParameterStore):
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
            # Fault: an instance drops off SSM just as a command for it arrives (it was Online
            # when the client looked); its invocation waits for delivery like any other.
            drop = st.config.get("offline_on_command")
            text = "\n".join(params.get("commands", []))
            if drop and drop["instance"] in ids and drop.get("match", "") in text:
                st.instances[drop["instance"]].ping_status = "ConnectionLost"
                st.config["offline_on_command"] = None
        for inv in cmd.invocations.values():
            self.runner.start(inv)
        # Fault: the command exists and runs, but its answer comes late (past the client's
        # request timeout), as when AWS acts on a request whose response is lost.
        hold = 0.0
        with st.lock:
            spec = st.config.get("hold_send_command_answers")
            text = "\n".join(params.get("commands", []))
            if spec and spec["count"] > 0 and spec.get("match", "") in text:
                spec["count"] -= 1
                hold = float(spec["seconds"])
        if hold:
            time.sleep(hold)
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
                inv.request_cancel()
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
