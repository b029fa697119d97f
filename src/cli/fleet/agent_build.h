#pragma once
// The drover-agent this drover was built with. The build computes its sha256
// (cmake/agent_build_digest.cmake) and compiles it in, so the drift guard compares every host
// against the build itself, not against whatever file happens to sit next to drover now.
#include <string_view>

namespace drover::cli {

/// sha256 (lower-case hex) of the drover-agent binary built together with this drover.
std::string_view built_agent_sha256();

}  // namespace drover::cli
