#include "transport/ssh/ssh_result.h"

#include <fmt/format.h>

#include "core/printable_text.h"
#include "transport/agent_output.h"

namespace drover::transport {
namespace {

constexpr int kShellCannotExecute = 126;
constexpr int kShellNotFound = 127;
constexpr std::string_view kAgentLogPrefix = "drover-agent: ";

// The last non-empty line ssh or the remote side wrote, printable, for a detail.
std::string last_line(std::string_view text) {
  auto end = text.find_last_not_of("\r\n");
  if (end == std::string_view::npos) {
    return "no message";
  }
  auto begin = text.rfind('\n', end);
  begin = begin == std::string_view::npos ? 0 : begin + 1;
  return core::printable(text.substr(begin, end + 1 - begin));
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// How known_hosts names the host: "[host]:port" for a non-default port, as ssh-keygen -R
// expects it.
std::string known_hosts_name(const SshAddress& address) {
  if (address.port && *address.port != 22) {
    return fmt::format("[{}]:{}", address.host, *address.port);
  }
  return address.host;
}

core::AgentResult failed(core::TransportStatus status, const ProcessResult& process,
                         std::string detail) {
  core::AgentResult result;
  result.status = status;
  result.exit_code = process.exit_code;
  result.stderr_tail = tail_lines(process.err);
  result.detail = std::move(detail);
  return result;
}

// Exit 255 before the agent said anything: ssh could not get the command to the host.
core::AgentResult ssh_failure(const ProcessResult& process, const SshCallSite& site) {
  const std::string where = fmt::format("{} ({})", site.host_name, to_string(site.address));
  const std::string& err = process.err;
  if (contains(err, "REMOTE HOST IDENTIFICATION HAS CHANGED") ||
      contains(err, "has changed and you have requested strict checking")) {
    return failed(core::TransportStatus::unreachable, process,
                  fmt::format("host key refused for {}: it is not the key in known_hosts. If the "
                              "host was rebuilt, check its new key's fingerprint on the host, "
                              "then `ssh-keygen -R '{}'` and add the new key; otherwise the "
                              "connection may be intercepted: do not deploy to it",
                              where, known_hosts_name(site.address)));
  }
  if (contains(err, "host key is known") || contains(err, "Host key verification failed")) {
    return failed(core::TransportStatus::unreachable, process,
                  fmt::format("host key refused for {}: no key for it is in known_hosts. Add "
                              "the host's key to known_hosts (checked against the fingerprint "
                              "shown on the host, e.g. with ssh-keyscan) and retry",
                              where));
  }
  return failed(core::TransportStatus::unreachable, process,
                fmt::format("cannot reach {} over ssh: {}", where, last_line(err)));
}

}  // namespace

bool agent_started(std::string_view stderr_text) {
  for (std::size_t at = 0; at < stderr_text.size();) {
    if (stderr_text.substr(at).starts_with(kAgentLogPrefix)) {
      return true;
    }
    auto next = stderr_text.find('\n', at);
    if (next == std::string_view::npos) {
      break;
    }
    at = next + 1;
  }
  return false;
}

core::AgentResult interpret_ssh_process(const ProcessResult& process, std::chrono::seconds timeout,
                                        const SshCallSite& site) {
  // Killing the ssh client (our timeout, or anyone's signal) ends the session, not the remote
  // agent: it ignores the hangup and finishes or rolls back its swap on its own.
  const std::string_view still_running =
      "; the agent, if it started, keeps running on the host and its bots end swapped or "
      "rolled back: `drover verify` shows where they are";
  if (process.timed_out || !process.overflowed.empty()) {
    auto result = interpret_agent_process(process, timeout);
    result.detail += still_running;
    return result;
  }
  if (process.signal != 0) {
    return failed(core::TransportStatus::agent_failed, process,
                  fmt::format("the ssh client for {} was killed by signal {}{}", site.host_name,
                              process.signal, still_running));
  }
  const bool started = agent_started(process.err);
  if (process.exit_code == kSshOwnFailure && started) {
    // The agent was running when ssh gave up: the connection was lost mid-run. Not
    // `unreachable`, which promises that nothing ran on the host; agent_failed is the status
    // for "the agent did not end with a report we can trust" (core/transport.h), and it
    // counts as a failed host, so the operator looks at it.
    return failed(core::TransportStatus::agent_failed, process,
                  fmt::format("the ssh connection to {} ({}) was lost while the agent ran ({}); "
                              "the agent keeps running on the host and its bots end swapped or "
                              "rolled back: `drover verify` shows where they are",
                              site.host_name, to_string(site.address), last_line(process.err)));
  }
  if (process.exit_code == kSshOwnFailure) {
    return ssh_failure(process, site);
  }
  if (!started &&
      (process.exit_code == kShellCannotExecute || process.exit_code == kShellNotFound)) {
    return failed(core::TransportStatus::agent_missing, process,
                  fmt::format("no runnable agent at {} on {} ({}): install it with `drover "
                              "baseline --install-agent`, or set fleet.agent_path",
                              site.agent_path, site.host_name, last_line(process.err)));
  }
  return interpret_agent_process(process, timeout);
}

}  // namespace drover::transport
