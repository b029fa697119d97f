#pragma once
// How drover reaches a host: run drover-agent there with these arguments and bring back what
// it said. Real sides live in src/transport/<name>/ (local, ssh, ssm); tests provide fakes.
// Everything that can go wrong on the way collapses into the few TransportStatus values below,
// so retry and timeout policy can live once, in core.
//
// What each status means (every transport must map its failures onto exactly these):
//   ok            the agent ran to the end and its last stdout line is a JSON object. Exit 0
//                 (every bot reached the requested state) AND exit 1 (some bot did not, e.g. it
//                 rolled back) are both `ok` here: the report says what happened to each bot,
//                 and judging that is the caller's job, not the transport's.
//   unreachable   the host could not be reached at all (no route, connection refused,
//                 authentication failed, host key refused). Nothing ran on the host.
//   agent_missing the host was reached but has no runnable agent at the agent path (not
//                 installed, not executable). Nothing ran; `drover baseline --install-agent`
//                 fixes it.
//   timed_out     the agent was started but did not finish within the call's timeout; it was
//                 killed. The bots may be anywhere mid-swap (the agent's `recover` repairs that).
//   agent_failed  the agent ended with something other than 0 or 1: bad arguments (exit 2),
//                 could not run (exit 3, e.g. Docker unreachable), or it was killed by a signal.
//                 When it still printed a report, `report_line` holds it and `detail` its error.
//   bad_output    the agent exited 0 or 1 but its last stdout line is missing or is not a JSON
//                 object: a broken or foreign binary. Nothing it said can be trusted.
//   out_of_resources  drover's own machine ran out of file descriptors, memory or processes
//                 before the agent could be started: nothing ran on the host, and nothing is
//                 wrong with it (never reported as unreachable or as a missing agent).
//
// Labels: the agent's report names the machine it ran on ("host": gethostname()), which need
// not be the fleet's name for the host (for the local transport every logical host is this
// machine). drover therefore labels every result by the Host it asked, never by the report's
// "host".
//
// Thread safety: implementations must allow concurrent run_agent calls from several threads
// (the rollout runs a window of hosts at once); each call is independent.
#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/fleet.h"
#include "core/host_outcome.h"
#include "core/name_table.h"

namespace drover::core {

enum class TransportStatus {
  ok,
  unreachable,
  agent_missing,
  timed_out,
  agent_failed,
  bad_output,
  out_of_resources
};

inline constexpr NameTable<TransportStatus, 7> kTransportStatusNames{{
    {TransportStatus::ok, "ok"},
    {TransportStatus::unreachable, "unreachable"},
    {TransportStatus::agent_missing, "agent_missing"},
    {TransportStatus::timed_out, "timed_out"},
    {TransportStatus::agent_failed, "agent_failed"},
    {TransportStatus::bad_output, "bad_output"},
    {TransportStatus::out_of_resources, "out_of_resources"},
}};
static_assert(covers_every_value(kTransportStatusNames));

/// "ok", "unreachable", "agent_missing", "timed_out", "agent_failed", "bad_output",
/// "out_of_resources".
inline std::string_view to_string(TransportStatus status) {
  return name_of(kTransportStatusNames, status);
}

/// The host outcome's failure kind for a transport failure; FailureKind::none for ok (whether
/// an ok call succeeded is for the report to say).
inline FailureKind failure_kind(TransportStatus status) {
  switch (status) {
    case TransportStatus::ok:
      return FailureKind::none;
    case TransportStatus::unreachable:
    case TransportStatus::agent_missing:
      return FailureKind::unreachable;
    case TransportStatus::timed_out:
      return FailureKind::timed_out;
    case TransportStatus::agent_failed:
    case TransportStatus::out_of_resources:  // its reason says it was drover's shortage
      return FailureKind::agent_error;
    case TransportStatus::bad_output:
      return FailureKind::bad_output;
  }
  return FailureKind::agent_error;
}

/// Thrown by a fleet check (the drift preflight, baseline) when asking a host ended in
/// out_of_resources: no verdict about that host would be true, so the check stops instead.
class OutOfResources : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One agent invocation: the agent's arguments (its command first: "swap", "--bots", "539", …)
/// and how long it may take. Arguments travel as argv end to end; no transport ever pastes them
/// into a shell string. Invariant: timeout is positive.
///
/// `on_step`, when set, is told each step the agent reports while it runs (core/agent_progress.h:
/// "pull", "stop", …), from the thread that called run_agent. Transports that stream the agent's
/// stderr (local, ssh) call it; those that only see the output at the end (ssm) never do, and a
/// view shows such a host as "running". Informational: it never changes the result.
struct AgentCall {
  std::vector<std::string> args;
  std::chrono::seconds timeout{std::chrono::minutes(10)};
  std::function<void(std::string_view step)> on_step{};
};

/// What came back. `report_line` is the agent's last stdout line, as it printed it, whenever
/// that line is a JSON object (its report), whatever the status; otherwise empty. It is kept
/// as text: drover reads its 10,000-host deploys' reports straight into structs
/// (transport/report_reader.h) and any other with `parsed_report`. `exit_code` is the agent's
/// exit status, or -1 when it did not exit normally (never started, killed, timed out).
/// Invariant: status != ok ⇒ `detail` says what went wrong in one line an operator can act on.
struct AgentResult {
  TransportStatus status = TransportStatus::agent_failed;
  int exit_code = -1;
  std::string report_line;  // empty when the agent printed no JSON object last
  std::string stderr_tail;  // the last lines of the agent's stderr (its progress log), for humans
  std::string detail;       // the failure in one line; empty or a summary when ok

  bool ok() const { return status == TransportStatus::ok; }
};

/// The result's report as a JSON value; null when it has none.
inline nlohmann::json parsed_report(const AgentResult& result) {
  if (result.report_line.empty()) return nullptr;
  auto report = nlohmann::json::parse(result.report_line, nullptr, /*allow_exceptions=*/false);
  return report.is_discarded() ? nlohmann::json(nullptr) : report;
}

/// The drover-agent build this drover was made with, as it is to be put on hosts: the file
/// on this machine, its sha256 (lower-case hex), and, for transports whose hosts download it
/// themselves (ssm), the URL it is published at.
struct AgentBinary {
  std::string local_path;
  std::string sha256;
  std::string url;  // empty: the transport copies local_path over its own connection
};

class AgentCallGroup;  // core/agent_call_group.h

class Transport {
 public:
  virtual ~Transport() = default;
  /// Runs drover-agent with `call.args` on `host` and waits for it (at most `call.timeout`).
  /// Never throws for anything the host or the agent did: that is the result's status.
  virtual AgentResult run_agent(const Host& host, const AgentCall& call) = 0;

  /// Installs `binary` as the host's agent, replacing any other build all at once (a host
  /// never has half an agent), checks the sha256 of what landed, and returns the result of
  /// running the new agent's `version` (ok with its report when it is installed and runs).
  /// Never throws for anything the host did.
  virtual AgentResult install_agent(const Host& host, const AgentBinary& binary) = 0;

  /// The transport's way of following many calls from one thread, when it has one (ssm: a
  /// service reaches the hosts, so drover only sends commands and polls); nullptr when every
  /// call needs its own thread (local, ssh: a process per host). See agent_call_group.h.
  /// (Defined in agent_call_group.cc, where AgentCallGroup is complete.)
  virtual std::unique_ptr<AgentCallGroup> call_group();

  /// These hosts run an agent of another build than this drover's, or none (the drift
  /// preflight found them and the operator deployed anyway with --allow-drift): a transport
  /// that batches calls with arguments only this build's agent reads (ssm's --instance-bots)
  /// sends theirs as each would go alone (--bots), which every agent build reads. Others
  /// need do nothing.
  virtual void expect_other_agent_builds(const std::vector<HostName>& hosts) { (void)hosts; }
};

}  // namespace drover::core
