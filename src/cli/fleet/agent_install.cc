#include "cli/fleet/agent_install.h"

#include <stdexcept>

#include "cli/fleet/agent_build.h"
#include "cli/fleet/agent_calls.h"
#include "cli/fleet/agent_versions.h"
#include "cli/fleet/host_calls.h"
#include "core/input_error.h"
#include "transport/local/local_agent_path.h"
#include "util/sha256.h"

namespace drover::cli {
namespace {

const char* const kReinstall = "install drover and drover-agent from the same build, side by side";

}  // namespace

core::AgentBinary verified_agent_beside_this_program() {
  std::string path;
  std::string sha256;
  try {
    path = transport::agent_beside_this_program();
    sha256 = sha256_file_hex(path);
  } catch (const std::runtime_error& e) {
    throw core::InputError("--install-agent",
                           std::string("cannot read the agent to install: ") + e.what(),
                           kReinstall);
  }
  if (sha256 != built_agent_sha256()) {
    throw core::InputError(
        "--install-agent",
        "the drover-agent beside this drover (" + path + ", sha256 " + core::short_sha256(sha256) +
            ") is not the build this drover was made with (sha256 " +
            core::short_sha256(built_agent_sha256()) + "); nothing was installed",
        kReinstall);
  }
  return {path, sha256, ""};
}

std::map<core::HostName, core::AgentResult> install_agents(
    const std::vector<core::HostSelection>& hosts, core::Transport& transport,
    const core::AgentBinary& binary) {
  std::map<core::HostName, core::AgentResult> installed;
  if (hosts.empty()) return installed;
  installed[hosts.front().name] = transport.install_agent(host_of(hosts.front()), binary);

  std::vector<core::HostSelection> rest(hosts.begin() + 1, hosts.end());
  auto now = check_agent_versions(rest, transport);
  std::vector<core::HostSelection> still;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    auto state = now.hosts[i].state;
    if (state == core::AgentState::drifted || state == core::AgentState::missing) {
      still.push_back(rest[i]);
    }
  }
  auto results = on_each_host(still, [&](const core::HostSelection& host) {
    return transport.install_agent(host_of(host), binary);
  });
  for (std::size_t i = 0; i < still.size(); ++i) installed[still[i].name] = results[i];
  return installed;
}

}  // namespace drover::cli
