#pragma once
// EC2 instance ids (and SSM hybrid managed-node ids), the only address the ssm transport can
// reach a host by: i- followed by 8 or 17 hex digits, or mi- followed by 17.
#include <string_view>

namespace drover::transport {

/// True for "i-0123abcd", "i-0123456789abcdef0" and "mi-0123456789abcdef0".
bool is_instance_id(std::string_view text);

}  // namespace drover::transport
