#pragma once
// What a finished `ssh host drover-agent …` said, as a transport result. ssh adds its own
// failures to the agent's: it exits 255 when IT failed (cannot connect, host key refused,
// authentication failed, connection lost), and the remote shell exits 126/127 when the agent
// path is not runnable. Everything else is the agent's own exit and goes to
// interpret_agent_process, like every transport.
//
// The rules, in order:
//   killed by our timeout              → timed_out (the remote agent may still be running)
//   killed by a signal                 → agent_failed (the same: only the client died)
//   255, the agent had started         → agent_failed: the connection was lost mid-run
//   255, host key refused              → unreachable, with how to fix known_hosts
//   255, anything else                 → unreachable, with ssh's own last line
//   126 / 127 before the agent started → agent_missing
//   otherwise                          → interpret_agent_process
#include <chrono>
#include <string>
#include <string_view>

#include "core/transport.h"
#include "transport/ssh/ssh_address.h"
#include "util/subprocess.h"

namespace drover::transport {

/// ssh's exit status when ssh itself failed (OpenSSH documents 255 for "an error occurred").
inline constexpr int kSshOwnFailure = 255;

/// What the call was about, for the details: which host, how ssh reached it, which agent.
struct SshCallSite {
  std::string host_name;
  SshAddress address;
  std::string agent_path;
};

core::AgentResult interpret_ssh_process(const ProcessResult& process, std::chrono::seconds timeout,
                                        const SshCallSite& site);

/// True when `stderr_text` holds a line of the agent's progress log ("drover-agent: …" at the
/// start of a line): the agent was running. A remote shell's "bash: /x/drover-agent: not
/// found" does not count, it does not start the line with the agent's prefix.
bool agent_started(std::string_view stderr_text);

}  // namespace drover::transport
