#include "transport/ssm/ssm_outcome.h"

#include <fmt/format.h>

#include <array>

#include "core/printable_text.h"
#include "transport/agent_output.h"

namespace drover::transport {
namespace {

constexpr int kShellCannotExecute = 126;
constexpr int kShellNotFound = 127;
constexpr int kSignalBase = 128;  // a shell reports death by signal N as 128 + N

std::string json_string(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

core::AgentResult failed(core::TransportStatus status, std::string detail,
                         const SsmInvocation& invocation) {
  core::AgentResult result;
  result.status = status;
  result.stderr_tail = tail_lines(invocation.stderr_content);
  result.detail = std::move(detail);
  return result;
}

std::string where(const InvocationContext& c) {
  return fmt::format("{} ({}, SSM command {})", c.host, c.instance_id, c.command_id);
}

core::AgentResult cancelled(const SsmInvocation& inv, const InvocationContext& c) {
  if (!inv.started) {
    const char* who =
        c.cancelled_by == CancelReason::operator_interrupt
            ? "drover cancelled it on the operator's interrupt"
        : c.cancelled_by == CancelReason::call_timeout
            ? "the host's SSM agent did not pick it up in time and drover cancelled it"
            : "someone cancelled it";
    return failed(
        core::TransportStatus::unreachable,
        fmt::format("{}: the command never started ({}); nothing ran on the host", where(c), who),
        inv);
  }
  if (c.cancelled_by == CancelReason::call_timeout) {
    return failed(core::TransportStatus::timed_out,
                  fmt::format("{}: the agent did not finish within {}s and drover cancelled it; "
                              "run `drover-agent recover` on the host if bots look half-swapped",
                              where(c), c.timeout.count()),
                  inv);
  }
  return failed(core::TransportStatus::agent_failed,
                fmt::format("{}: the command was cancelled while the agent ran (not by drover); "
                            "run `drover-agent recover` on the host if bots look half-swapped",
                            where(c)),
                inv);
}

// Statuses in which the script never ran: SSM could not hand it to the host's agent.
core::AgentResult not_delivered(const SsmInvocation& inv, const InvocationContext& c) {
  return failed(
      core::TransportStatus::unreachable,
      fmt::format("{}: SSM could not deliver the command ({}/{}); nothing ran on the "
                  "host (check the instance is running and its SSM agent is Online: "
                  "drover inventory)",
                  where(c), core::printable(inv.status), core::printable(inv.status_details)),
      inv);
}

core::AgentResult agent_ran(const SsmInvocation& inv, const InvocationContext& c) {
  if (inv.response_code == kShellNotFound || inv.response_code == kShellCannotExecute) {
    return failed(core::TransportStatus::agent_missing,
                  fmt::format("{}: the host has no runnable drover-agent (the shell answered "
                              "{}); install it with `drover baseline --install-agent`",
                              where(c), inv.response_code),
                  inv);
  }
  ProcessResult process;
  process.out = inv.stdout_content;
  process.err = inv.stderr_content;
  if (inv.response_code < 0 || inv.response_code > kSignalBase) {
    process.exit_code = -1;
    process.signal = inv.response_code > kSignalBase ? inv.response_code - kSignalBase : 9;
  } else {
    process.exit_code = inv.response_code;
  }
  if (output_truncated(inv.stdout_content)) {
    // The report is the last line: what is left of it is the front of a JSON document.
    auto result = failed(core::TransportStatus::bad_output,
                         fmt::format("{}: the agent's output was cut at the SSM API's limit of "
                                     "{} characters, so its report cannot be read (exit {}); "
                                     "run fewer bots per host or read the output on the host",
                                     where(c), kSsmStdoutLimit, inv.response_code),
                         inv);
    result.exit_code = process.exit_code;
    return result;
  }
  auto result = interpret_agent_process(process, c.timeout);
  if (!result.ok() && !result.detail.empty()) result.detail = where(c) + ": " + result.detail;
  return result;
}

}  // namespace

SsmInvocation parse_invocation(const nlohmann::json& output) {
  SsmInvocation inv;
  inv.status = json_string(output, "Status");
  inv.status_details = json_string(output, "StatusDetails");
  auto code = output.find("ResponseCode");
  if (code != output.end() && code->is_number_integer()) inv.response_code = code->get<int>();
  inv.stdout_content = json_string(output, "StandardOutputContent");
  inv.stderr_content = json_string(output, "StandardErrorContent");
  inv.started = !json_string(output, "ExecutionStartDateTime").empty();
  return inv;
}

bool is_terminal(const SsmInvocation& inv) {
  static constexpr std::array<std::string_view, 4> kFinal{"Success", "Failed", "TimedOut",
                                                          "Cancelled"};
  for (auto status : kFinal) {
    if (inv.status == status) return true;
  }
  // Detail-only terminal states that some API versions surface as the status itself.
  return inv.status == "Undeliverable" || inv.status == "Terminated" ||
         inv.status == "DeliveryTimedOut" || inv.status == "ExecutionTimedOut";
}

bool not_started(const SsmInvocation& inv) {
  return inv.status == "Pending" || inv.status == "Delayed";
}

bool output_truncated(std::string_view text) {
  // A character is at least a byte: shorter text cannot have reached the limit, and most
  // outputs are a tenth of it (30,000 of them in a 10,000-host deploy, not counted one by one).
  if (text.size() < kSsmStdoutLimit) {
    return false;
  }
  std::size_t characters = 0;
  for (char c : text) {
    // Count UTF-8 lead bytes only: AWS's limit is in characters.
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++characters;
  }
  return characters >= kSsmStdoutLimit;
}

core::AgentResult agent_result_for(const SsmInvocation& inv, const InvocationContext& c) {
  if (inv.status == "Cancelled" || inv.status_details == "Cancelled") return cancelled(inv, c);
  if (inv.status_details == "ExecutionTimedOut" || inv.status == "ExecutionTimedOut" ||
      (inv.status == "TimedOut" && inv.started && inv.status_details != "DeliveryTimedOut")) {
    return failed(core::TransportStatus::timed_out,
                  fmt::format("{}: the agent did not finish within {}s and SSM stopped it; run "
                              "`drover-agent recover` on the host if bots look half-swapped",
                              where(c), c.timeout.count()),
                  inv);
  }
  const bool ran_to_end =
      inv.status == "Success" ||
      (inv.status == "Failed" && inv.status_details == "Failed" && inv.response_code >= 0) ||
      (inv.status == "Failed" && inv.started);
  if (ran_to_end) return agent_ran(inv, c);
  return not_delivered(inv, c);
}

}  // namespace drover::transport
