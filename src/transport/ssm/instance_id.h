#pragma once
// EC2 instance ids (and SSM hybrid managed-node ids), the only address the ssm transport can
// reach a host by: i- followed by 8 or 17 hex digits, or mi- followed by 17.
#include <string>
#include <string_view>

#include "core/fleet.h"

namespace drover::transport {

/// True for "i-0123abcd", "i-0123456789abcdef0" and "mi-0123456789abcdef0".
bool is_instance_id(std::string_view text);

/// The instance id a host is reached by: its address, else its name.
std::string instance_id_of(const core::Host& host);

}  // namespace drover::transport
