#include "transport/agent_output.h"

#include <fmt/format.h>

#include <csignal>
#include <cstring>

#include "core/agent_progress.h"
#include "core/agent_report.h"
#include "core/printable_text.h"
#include "transport/report_json.h"

namespace drover::transport {
namespace {

constexpr int kAgentExitNotReached = 1;  // agent_cli.h: some bot did not reach its state
constexpr int kAgentExitUsage = 2;
constexpr int kAgentExitCannotRun = 3;
constexpr std::size_t kQuotedOutputBytes = 120;

// The agent's report line, or "" with `why` saying what the last line was instead. Only an
// object counts: every agent command prints one, so a bare number or string is someone else's
// output. The line is checked, not kept parsed: its reader parses it again, into its struct.
std::string report_line_of(std::string_view out, std::string& why) {
  std::string_view line;
  try {
    line = core::last_report_line(out);
  } catch (const core::AgentOutputError&) {
    why = "printed nothing on stdout";
    return {};
  }
  if (is_json_object(line)) {
    return std::string(line);
  }
  std::string shown = core::printable(line.substr(0, kQuotedOutputBytes));
  if (line.size() > kQuotedOutputBytes) {
    shown += "...";
  }
  why = fmt::format("printed '{}' last, which is not a JSON report", shown);
  return {};
}

std::string report_error(std::string_view report_line) {
  if (report_line.empty()) {
    return {};
  }
  const auto report = parse_json_document(report_line);
  if (!report.is_object()) {
    return {};
  }
  auto it = report.find("error");
  if (it == report.end() || !it->is_string()) {
    return {};
  }
  return core::printable(it->get<std::string>());
}

std::string last_line(const std::string& text) {
  auto end = text.find_last_not_of("\r\n");
  if (end == std::string::npos) {
    return {};
  }
  auto begin = text.rfind('\n', end);
  begin = begin == std::string::npos ? 0 : begin + 1;
  return core::printable(std::string_view(text).substr(begin, end + 1 - begin));
}

std::string signal_name(int signal) {
  const char* abbrev = sigabbrev_np(signal);
  return abbrev ? fmt::format("signal {} (SIG{})", signal, abbrev)
                : fmt::format("signal {}", signal);
}

// Why an agent that exited with `code` (not 0 or 1) failed, in the words an operator needs:
// the report's own error first (the agent knows best), then its last log line.
std::string failure_detail(int code, std::string_view report_line, const std::string& tail) {
  std::string what = report_error(report_line);
  if (what.empty()) {
    what = last_line(tail);
  }
  std::string head;
  switch (code) {
    case kAgentExitUsage:
      head = "the agent refused its arguments (exit 2)";
      break;
    case kAgentExitCannotRun:
      head = "the agent could not run (exit 3)";
      break;
    default:
      head = fmt::format("the agent exited with {}", code);
  }
  return what.empty() ? head : head + ": " + what;
}

}  // namespace

std::string tail_lines(std::string_view text, std::size_t max_lines, std::size_t max_bytes) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  if (max_lines == 0) {
    return {};
  }
  // Walk back over newlines: the n-th one from the end starts the n-th last line.
  std::size_t begin = 0;
  std::size_t lines = 0;
  for (std::size_t end = text.size(); end > 0;) {
    auto newline = text.rfind('\n', end - 1);
    if (newline == std::string_view::npos) {
      break;
    }
    if (++lines == max_lines) {
      begin = newline + 1;
      break;
    }
    end = newline;
  }
  auto tail = text.substr(begin);
  if (tail.size() > max_bytes) {
    tail = tail.substr(tail.size() - max_bytes);
  }
  return std::string(tail);
}

core::AgentResult interpret_agent_process(const ProcessResult& process,
                                          std::chrono::seconds timeout) {
  core::AgentResult result;
  result.exit_code = process.timed_out || process.signal != 0 ? -1 : process.exit_code;
  result.stderr_tail = tail_lines(process.err);
  std::string why_no_report;
  result.report_line = report_line_of(process.out, why_no_report);

  if (!process.overflowed.empty()) {
    result.status = core::TransportStatus::bad_output;
    result.report_line.clear();  // whatever it printed was cut short: never a report
    result.detail = fmt::format(
        "the agent wrote more than {} MiB to {} and was stopped (drover-agent writes a few KB "
        "per bot: check what runs at the agent path on the host); `drover verify` shows where "
        "its bots are",
        kAgentOutputLimit >> 20, process.overflowed);
    return result;
  }
  if (process.timed_out) {
    result.status = core::TransportStatus::timed_out;
    result.detail = fmt::format(
        "the agent did not finish within {}s and was killed; run "
        "`drover-agent recover` on the host if bots look half-swapped",
        timeout.count());
    return result;
  }
  if (process.signal != 0) {
    result.status = core::TransportStatus::agent_failed;
    result.detail = "the agent was killed by " + signal_name(process.signal);
    return result;
  }
  if (process.exit_code == 0 || process.exit_code == kAgentExitNotReached) {
    if (result.report_line.empty()) {
      result.status = core::TransportStatus::bad_output;
      result.detail = fmt::format("the agent exited {} but {}", process.exit_code, why_no_report);
      return result;
    }
    result.status = core::TransportStatus::ok;
    return result;
  }
  result.status = core::TransportStatus::agent_failed;
  result.detail = failure_detail(process.exit_code, result.report_line, result.stderr_tail);
  return result;
}

std::function<void(std::string_view line)> agent_step_reader(const core::AgentCall& call) {
  if (!call.on_step) return {};
  return [&on_step = call.on_step](std::string_view line) {
    if (auto step = core::agent_step_of(line)) on_step(*step);
  };
}

core::AgentResult out_of_resources(const std::string& program, const ResourceExhausted& error) {
  core::AgentResult result;
  result.status = core::TransportStatus::out_of_resources;
  result.detail = fmt::format(
      "drover could not start {}: drover's machine is out of resources ({}); nothing ran on the "
      "host (raise ulimit -n or free memory)",
      program, error.what());
  return result;
}

}  // namespace drover::transport
