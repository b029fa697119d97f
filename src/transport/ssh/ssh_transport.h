#pragma once
// The ssh transport: drover-agent runs on each host through the system OpenSSH client, so the
// operator's ~/.ssh/config, ssh-agent, keys and ProxyJump bastions apply as they do for a
// manual `ssh host`. One multiplexed connection per host (ControlMaster) carries all of a
// deploy's calls to it; the control sockets live in a private directory made for this
// transport and closed (`ssh -O exit`) and removed when it is destroyed. ssh_command.h lists
// the options passed and why; ssh_result.h how failures map onto core::TransportStatus.
//
// A host is reached at its `address` (parse_ssh_address) or else its name. The agent's
// arguments travel as ONE remote command string made by shell_command, so the host's shell
// sees exactly drover's argv.
//
// Hangups: ssh runs in its own process group (PosixProcessRunner), so the operator's Ctrl-C
// never reaches it; the multiplexing master detaches into its own session. Whatever ends the
// connection, the remote agent ignores SIGHUP/SIGPIPE and finishes its swap.
//
// Thread safety: run_agent and install_agent may be called from several threads at once.
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/transport.h"
#include "transport/ssh/ssh_address.h"
#include "transport/ssh/ssh_settings.h"
#include "util/subprocess.h"

namespace drover::transport {

inline constexpr const char* kDefaultSshAgentPath = "/usr/local/bin/drover-agent";

class SshTransport final : public core::Transport {
 public:
  /// `agent_path`: the agent's absolute path on the hosts. `runner` must outlive the
  /// transport. Throws std::runtime_error when the private control directory cannot be made.
  SshTransport(SshSettings settings, std::string agent_path, ProcessRunner& runner);
  /// Closes every control master this transport may have opened, and removes its directory.
  ~SshTransport() override;
  SshTransport(const SshTransport&) = delete;
  SshTransport& operator=(const SshTransport&) = delete;

  core::AgentResult run_agent(const core::Host& host, const core::AgentCall& call) override;
  core::AgentResult install_agent(const core::Host& host, const core::AgentBinary& binary) override;

  const std::string& agent_path() const { return agent_path_; }
  const std::string& control_dir() const { return control_dir_; }

 private:
  // Runs `remote_command` on `host` and interprets what came back; `on_stderr_line` sees the
  // remote stderr as it arrives (the agent's step lines).
  core::AgentResult run_remote(const core::Host& host, const std::string& remote_command,
                               std::chrono::seconds timeout, const std::string& stdin_data = {},
                               std::function<void(std::string_view)> on_stderr_line = {});

  SshSettings settings_;
  std::string agent_path_;
  ProcessRunner& runner_;
  std::string control_dir_;
  std::mutex mutex_;
  std::vector<SshAddress> contacted_;  // whose control masters to close; guarded by mutex_
};

}  // namespace drover::transport
