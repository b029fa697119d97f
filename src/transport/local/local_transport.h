#pragma once
// The local transport: every host of the fleet is a logical host on THIS machine, and all their
// bots live on the local Docker engine. Running the agent "on" a host means running
// `agent_path args...` here as a subprocess (argv, no shell), with the call's timeout.
//
// The host's name is not passed to the agent: its report names the machine (gethostname), and
// drover labels results by the Host it asked (see core/transport.h). What distinguishes one
// logical host from another is only which bots the arguments name.
//
// Failures: an agent that cannot be started (missing, not executable) is `agent_missing`;
// everything else is interpret_agent_process. install_agent copies the binary to agent_path
// (a no-op when it is that file already, as with the default agent beside drover).
// Thread safety: run_agent keeps no state between calls; it is as thread-safe as the
// ProcessRunner (PosixProcessRunner is).
#include <string>

#include "core/transport.h"
#include "util/subprocess.h"

namespace drover::transport {

class LocalTransport final : public core::Transport {
 public:
  /// `agent_path`: the drover-agent binary (an absolute path, or a name searched in PATH).
  /// `runner` must outlive the transport. `host_lock_prefix`, when not empty, gives each
  /// logical host its own agent swap lock, `<prefix>.<host>.lock` (DROVER_AGENT_LOCK): they all
  /// share this machine, and one machine-wide lock would let only one host swap at a time.
  LocalTransport(std::string agent_path, ProcessRunner& runner, std::string host_lock_prefix = {});

  core::AgentResult run_agent(const core::Host& host, const core::AgentCall& call) override;
  core::AgentResult install_agent(const core::Host& host, const core::AgentBinary& binary) override;

  const std::string& agent_path() const { return agent_path_; }

 private:
  std::string agent_path_;
  ProcessRunner& runner_;
  std::string host_lock_prefix_;
};

}  // namespace drover::transport
