#include "transport/ssm/ssm_transport.h"

#include <fmt/format.h>

#include <stdexcept>

#include "aws/aws_error.h"
#include "aws/retry_policy.h"
#include "core/printable_text.h"
#include "transport/ssm/instance_id.h"
#include "transport/ssm/ssm_command.h"
#include "transport/ssm/ssm_failure.h"
#include "transport/ssm/ssm_pages.h"

namespace drover::transport {
namespace {

std::string install_failure(int code) {
  switch (code) {
    case kInstallNoDownloader:
      return "neither curl nor wget is installed on the host (install one of them)";
    case kInstallDownloadFailed:
      return "the host could not download the agent (check [aws] agent_url is reachable from "
             "the host)";
    case kInstallChecksumMismatch:
      return "the downloaded agent's sha256 is not the build drover carries; nothing was "
             "replaced (publish this drover's drover-agent at the URL)";
    case kInstallCannotReplace:
      return "the agent could not be put at its path (check the directory is writable by root)";
    default:
      return {};
  }
}

// A request that got no answer, or a 5xx, may have been carried out; AWS refuses everything
// else (throttling, validation, access) before acting.
bool may_have_been_acted_on(const aws::AwsError& e) {
  return e.code() == aws::kEndpointUnreachable || e.http_status() >= 500;
}

}  // namespace

SsmTransport::SsmTransport(AwsJsonCall ssm, Clock& clock, const std::atomic<bool>& interrupted,
                           SsmTransportOptions options, AwsBodyCall ssm_body)
    : ssm_(std::move(ssm)),
      ssm_body_(std::move(ssm_body)),
      clock_(clock),
      interrupted_(interrupted),
      options_(std::move(options)),
      instances_(ssm_body_) {
  if (options_.poll_interval.count() <= 0) {
    throw std::invalid_argument("the SSM poll interval must be positive");
  }
}

void SsmTransport::preflight(const std::vector<core::Host>& hosts) {
  std::vector<std::string> ids;
  for (const auto& host : hosts) {
    auto id = instance_id_of(host);
    if (is_instance_id(id)) {
      ids.push_back(std::move(id));
    }
  }
  instances_.load(ids);
}

core::AgentResult SsmTransport::run_agent(const core::Host& host, const core::AgentCall& call) {
  if (call.timeout.count() <= 0) {
    throw std::invalid_argument(
        fmt::format("agent call for {} has a non-positive timeout", host.name));
  }
  return run_script(host, {agent_command_line(options_.agent_path, call.args)}, call.timeout);
}

core::AgentResult SsmTransport::install_agent(const core::Host& host,
                                              const core::AgentBinary& binary) {
  const auto& url = binary.url.empty() ? options_.agent_url : binary.url;
  if (url.empty()) {
    return failed_result(
        core::TransportStatus::agent_failed,
        fmt::format("{}: no URL to download the agent from (set [aws] agent_url in "
                    "drover.toml to where this drover's drover-agent is published)",
                    host.name));
  }
  auto installed = run_script(host, install_agent_script(url, binary.sha256, options_.agent_path),
                              std::chrono::minutes(5));
  auto why = install_failure(installed.exit_code);
  if (!why.empty()) {
    installed.status = core::TransportStatus::agent_failed;
    installed.detail = fmt::format("{}: installing the agent from {} failed: {}", host.name,
                                   core::printable(url), why);
  }
  return installed;
}

std::optional<core::AgentResult> SsmTransport::cannot_reach(const core::Host& host) {
  const auto instance_id = instance_id_of(host);
  if (!is_instance_id(instance_id)) {
    return failed_result(
        core::TransportStatus::unreachable,
        fmt::format("{}: '{}' is not an EC2 instance id (i-…); set the host's address "
                    "to its instance id",
                    host.name, core::printable(instance_id)));
  }
  std::optional<SsmInstanceInfo> info;
  try {
    info = instances_.get(instance_id);
  } catch (const aws::AwsError& e) {
    return failed_result(e.code() == aws::kClientOutOfResources
                             ? core::TransportStatus::out_of_resources
                             : core::TransportStatus::unreachable,
                         fmt::format("{} ({}): SSM DescribeInstanceInformation failed: {}",
                                     host.name, instance_id, aws_error_text(e)));
  }
  if (!info) {
    return failed_result(
        core::TransportStatus::unreachable,
        fmt::format("{} ({}): not an SSM managed node (no SSM agent registered, or "
                    "the instance lacks an instance profile with SSM permissions); "
                    "no command was sent",
                    host.name, instance_id));
  }
  if (info->ping_status != "Online") {
    return failed_result(
        core::TransportStatus::unreachable,
        fmt::format("{} ({}): its SSM agent is {}, not Online; no command was sent "
                    "(check the instance is running: drover inventory)",
                    host.name, instance_id, core::printable(info->ping_status)));
  }
  return std::nullopt;
}

core::AgentResult SsmTransport::run_script(const core::Host& host,
                                           const std::vector<std::string>& lines,
                                           std::chrono::seconds timeout) {
  if (auto failed = cannot_reach(host)) {
    return std::move(*failed);
  }
  InvocationContext context{host.name, instance_id_of(host), "", timeout, CancelReason::none};
  const auto comment = command_comment(host.name);
  auto sent = send_once(send_command_input({context.instance_id}, lines, timeout, comment),
                        context.instance_id, comment);
  if (sent.command_id.empty()) {
    return failed_result(sent.status,
                         fmt::format("{} ({}): {}", host.name, context.instance_id, sent.problem));
  }
  context.command_id = sent.command_id;
  return watch(host, std::move(context));
}

SsmTransport::SentCommand SsmTransport::send_once(const nlohmann::json& input,
                                                  const std::string& any_instance,
                                                  const std::string& comment) {
  for (int send = 1;; ++send) {
    std::string answer;
    try {
      answer = ssm_body_("SendCommand", input);
    } catch (const aws::AwsError& e) {
      if (e.code() == aws::kClientOutOfResources) {
        return {{}, core::TransportStatus::out_of_resources, aws_error_text(e)};
      }
      if (!may_have_been_acted_on(e)) {
        return {{},
                core::TransportStatus::unreachable,
                "SSM refused the command, nothing ran: " + aws_error_text(e)};
      }
      // No answer, or a 5xx: SSM may have created the command all the same. Sending it again
      // blindly could run two agents on the host, so drover first looks for it by its comment.
      clock_.sleep_for(options_.poll_interval);
      std::optional<std::string> found;
      try {
        found = find_sent_command(any_instance, comment);
      } catch (const aws::AwsError& unknown) {
        return {{},
                core::TransportStatus::agent_failed,
                fmt::format("SendCommand got no answer ({}) and ListCommands could not tell "
                            "whether it was created ({}); not sent again, as a second send could "
                            "run two agents (look for comment '{}' in the Run Command history)",
                            aws_error_text(e), aws_error_text(unknown), core::printable(comment))};
      }
      if (found) {
        return {*found, {}, {}, 0.0};
      }
      if (send >= kMaxSends) {
        return {{},
                core::TransportStatus::unreachable,
                fmt::format("SendCommand got no answer {} times, and SSM holds no such command, "
                            "so nothing ran: {}",
                            send, aws_error_text(e))};
      }
      continue;
    }
    // SSM answered: the command exists unless the answer says otherwise. The answer echoes the
    // whole command line (up to 50 instances' bots); only the id and the time are read.
    SendCommandAnswer sent;
    try {
      sent = read_send_command_answer(answer);
    } catch (const aws::AwsError&) {
      // An unreadable answer leaves sent.command_id empty, as an answer without one does.
    }
    if (sent.command_id.empty()) {
      return {{},
              core::TransportStatus::agent_failed,
              "SendCommand answered without a command id; whether the agent runs is unknown (see "
              "the SSM console's Run Command history)"};
    }
    return {std::move(sent.command_id), {}, {}, sent.requested};
  }
}

std::string SsmTransport::command_comment(const std::string& label) {
  // The unique part goes last but is never cut: SSM keeps 100 characters of a comment.
  const auto unique = fmt::format(" #{}-{}", options_.run_token, ++sent_commands_);
  auto full = options_.comment + " " + label;
  if (full.size() + unique.size() > kMaxCommentLength) {
    full.resize(kMaxCommentLength - unique.size());
  }
  return full + unique;
}

std::optional<std::string> SsmTransport::find_sent_command(const std::string& instance_id,
                                                           const std::string& comment) {
  // Newest first: a command drover just sent is on the first page unless the instance was sent
  // dozens of others in the same seconds.
  nlohmann::json input = {{"InstanceId", instance_id}, {"MaxResults", 50}};
  for (int page = 0; page < kListCommandsPages; ++page) {
    auto listed = ssm_("ListCommands", input);
    for (const auto& command : listed.value("Commands", nlohmann::json::array())) {
      if (command.value("Comment", "") == comment) {
        return command.value("CommandId", "");
      }
    }
    if (!listed.contains("NextToken")) {
      break;
    }
    input["NextToken"] = listed["NextToken"];
  }
  return std::nullopt;
}

core::AgentResult SsmTransport::watch(const core::Host& host, InvocationContext context) {
  const auto started = clock_.now();
  const auto give_up = started + Duration(context.timeout) + options_.cancel_grace;
  bool cancel_sent = false;
  // When the cancel was sent (a plain pair: GCC 12 misreports an optional<TimePoint>).
  bool awaiting_cancel = false;
  TimePoint cancelled_at{};
  SsmInvocation last;
  for (;;) {
    clock_.sleep_for(options_.poll_interval);
    try {
      last = parse_invocation(ssm_("GetCommandInvocation", {{"CommandId", context.command_id},
                                                            {"InstanceId", context.instance_id}}));
      if (is_terminal(last)) {
        return agent_result_for(last, context);
      }
    } catch (const aws::AwsError& e) {
      // Right after SendCommand the invocation may not exist yet: that is normal, ask again.
      if (e.code() != "InvocationDoesNotExist") {
        // A command that has not started is withdrawn; one that runs is left to finish.
        const bool waiting = last.status.empty() || not_started(last);
        if (waiting) {
          cancel(context);
        }
        return failed_result(
            core::TransportStatus::agent_failed,
            fmt::format(
                "{} ({}): lost track of SSM command {} ({}); {}; check it with "
                "`aws ssm get-command-invocation`",
                host.name, context.instance_id, context.command_id, aws_error_text(e),
                waiting ? "it was cancelled before it started" : "the agent may still be running"));
      }
    }
    const auto now = clock_.now();
    if (!cancel_sent && interrupted_.load() && (last.status.empty() || not_started(last))) {
      context.cancelled_by = CancelReason::operator_interrupt;
      cancel(context);
      cancel_sent = true;
      awaiting_cancel = true;
      cancelled_at = now;
    } else if (!cancel_sent && now >= give_up) {
      context.cancelled_by = CancelReason::call_timeout;
      cancel(context);
      cancel_sent = true;
      awaiting_cancel = true;
      cancelled_at = now;
    } else if (awaiting_cancel && now >= cancelled_at + options_.cancel_grace) {
      // SSM never confirmed the cancel: report what drover knows rather than wait forever.
      if (context.cancelled_by == CancelReason::operator_interrupt && !last.status.empty() &&
          !not_started(last)) {
        // It started after all, and was not killed: keep following it to its end.
        awaiting_cancel = false;
        continue;
      }
      last.status = "Cancelled";
      return agent_result_for(last, context);
    }
  }
}

void SsmTransport::cancel(const InvocationContext& context) {
  try {
    ssm_("CancelCommand",
         {{"CommandId", context.command_id}, {"InstanceIds", {context.instance_id}}});
  } catch (const aws::AwsError&) {
    // Best effort: the caller reports the outcome it saw; a command that cannot be cancelled
    // has usually just ended, and the next poll shows how.
  }
}

}  // namespace drover::transport
