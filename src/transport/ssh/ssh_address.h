#pragma once
// A host's ssh address as drover.toml writes it: `host`, `user@host`, `host:port`,
// `user@host:port`, `[v6addr]` or `[v6addr]:port` (with an optional `user@` before the
// bracket), or a bare IPv6 address without a port. The parts are handed to ssh separately
// (`-l user`, `-p port`, the host after `--`), never pasted into one string.
#include <optional>
#include <string>
#include <string_view>

namespace drover::transport {

struct SshAddress {
  std::string user;  // empty: ssh's own choice (ssh_config User, else the local user)
  std::string host;  // a name or an IP address, without brackets
  std::optional<int> port;

  bool operator==(const SshAddress&) const = default;
};

/// The forms parse_ssh_address accepts, for error messages.
inline constexpr std::string_view kSshAddressForms =
    "write host, user@host, host:port, user@host:port or [v6addr]:port, "
    "e.g. address = \"deploy@10.0.0.5:2222\"";

/// Parses `text`. Throws std::invalid_argument saying what is wrong with it (without the
/// accepted forms, which the caller adds).
SshAddress parse_ssh_address(std::string_view text);

/// `text` as shown to operators: "user@host:port" with only the parts that are set.
std::string to_string(const SshAddress& address);

}  // namespace drover::transport
