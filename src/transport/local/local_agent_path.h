#pragma once
// Where the local transport finds drover-agent when drover.toml does not say
// (fleet.agent_path): next to the drover binary that is running, which is how a build tree
// and an installed package (both binaries in one bin/ directory) lay them out.
#include <string>

namespace drover::transport {

/// `<directory of self_executable>/drover-agent`.
std::string agent_beside(const std::string& self_executable);

/// agent_beside(the running program, from /proc/self/exe). Throws std::runtime_error when
/// the running program's path cannot be read.
std::string agent_beside_this_program();

}  // namespace drover::transport
