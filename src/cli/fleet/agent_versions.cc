#include "cli/fleet/agent_versions.h"

#include "cli/fleet/agent_build.h"
#include "cli/fleet/agent_calls.h"
#include "cli/fleet/host_calls.h"
#include "core/agent_request.h"

namespace drover::cli {

core::AgentCall version_call() {
  // Hashing the agent binary takes milliseconds; the rest is the connection.
  return {core::agent_argv(core::VersionRequest{}), std::chrono::seconds(60)};
}

core::DriftReport check_agent_versions(const std::vector<core::HostSelection>& hosts,
                                       core::Transport& transport) {
  auto results =
      on_each_host(transport, hosts, [](const core::HostSelection&) { return version_call(); });
  core::DriftReport report;
  report.expected_sha256 = std::string(built_agent_sha256());
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    report.hosts.push_back(
        core::classify_agent_version(hosts[i].name, results[i], report.expected_sha256));
  }
  return report;
}

}  // namespace drover::cli
