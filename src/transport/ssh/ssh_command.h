#pragma once
// The argv of the system ssh client for one agent call, and for closing a host's multiplexed
// connection. Options drover passes on the command line win over any ssh_config (OpenSSH uses
// the first value it sees), so the safety ones cannot be loosened by a config file:
//   BatchMode=yes               never prompt (no terminal may be there; a prompt would hang)
//   ConnectTimeout=N            an unreachable host fails in N s, not the TCP default minutes
//   StrictHostKeyChecking=yes   an unknown or changed host key is refused, never accepted
//   ControlMaster=auto, ControlPath=<dir>/%C, ControlPersist=N
//                               one connection per host for all of a deploy's calls; %C (a
//                               hash of host, port and user) keeps the socket name short and
//                               free of address characters; <dir> is private (0700)
//   ServerAliveInterval/CountMax a dead network path ends the call in about a minute
// Everything else (keys, agent, User, ProxyJump) comes from the user's ssh configuration.
// The remote side gets ONE command string, made by shell_command, which the login shell
// there parses back into exactly the argv drover meant.
#include <string>
#include <vector>

#include "transport/ssh/ssh_address.h"
#include "transport/ssh/ssh_settings.h"

namespace drover::transport {

inline constexpr int kServerAliveIntervalS = 15;
inline constexpr int kServerAliveCountMax = 4;

/// `ssh <options> -- <host> <remote_command>`; `control_dir` holds the control sockets.
std::vector<std::string> ssh_argv(const SshSettings& settings, const std::string& control_dir,
                                  const SshAddress& address, const std::string& remote_command);

/// `ssh <options> -O exit -- <host>`: asks that host's control master (if any) to close.
std::vector<std::string> ssh_control_exit_argv(const SshSettings& settings,
                                               const std::string& control_dir,
                                               const SshAddress& address);

}  // namespace drover::transport
