#pragma once
// The [ssh] table of drover.toml as the ssh transport uses it. Everything else about how a
// host is reached (keys, agent, ProxyJump bastions, user names) is the operator's own
// ~/.ssh/config, or the file `config_file` names: drover runs the system OpenSSH client.
#include <optional>
#include <string>

namespace drover::transport {

struct SshSettings {
  std::optional<std::string> config_file;  // ssh -F <file>; unset: OpenSSH's usual files
  int connect_timeout_s = 10;              // ConnectTimeout; invariant: 1..300
  int control_persist_s = 60;              // how long an idle multiplexed connection stays up
};

}  // namespace drover::transport
