#include "transport/ssm/instance_id.h"

#include <algorithm>

namespace drover::transport {
namespace {

bool is_lower_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

bool hex_tail(std::string_view text, std::string_view prefix, std::size_t length) {
  if (!text.starts_with(prefix) || text.size() != prefix.size() + length) return false;
  text.remove_prefix(prefix.size());
  return std::all_of(text.begin(), text.end(), is_lower_hex);
}

}  // namespace

bool is_instance_id(std::string_view text) {
  // SSM's model accepts any word characters; EC2 only ever issues lower-case hex, and being
  // strict here catches a host name pasted where the id belongs.
  return hex_tail(text, "i-", 8) || hex_tail(text, "i-", 17) || hex_tail(text, "mi-", 17);
}

std::string instance_id_of(const core::Host& host) {
  return host.address ? *host.address : host.name;
}

}  // namespace drover::transport
