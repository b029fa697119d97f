#pragma once
// Whether a host names this machine: the one rule for "loopback" that the HTTP client (no proxy
// for loopback) and the registry lookup (plain http for loopback registries) share.
#include <string_view>

namespace drover {

/// True for host[:port] in 127.0.0.0/8, "localhost" (any case), "[::1]" and IPv4-mapped
/// loopback ("[::ffff:127.0.0.1]"). Names that merely start like one ("127.example.com",
/// "localhost.example.com") are somebody else's hosts.
bool is_loopback_host(std::string_view host_and_port);

}  // namespace drover
