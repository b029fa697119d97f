#include "transport/local/local_agent_path.h"

#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace drover::transport {

std::string agent_beside(const std::string& self_executable) {
  return (std::filesystem::path(self_executable).parent_path() / "drover-agent").string();
}

std::string agent_beside_this_program() {
  // /proc/self/exe, not argv[0]: argv[0] may be a bare name found through PATH or a symlink,
  // and the agent we want is the one built or installed with this very binary.
  std::error_code error;
  auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) {
    throw std::runtime_error("cannot tell where drover is installed (/proc/self/exe: " +
                             error.message() + "); set fleet.agent_path in drover.toml");
  }
  return agent_beside(self.string());
}

}  // namespace drover::transport
