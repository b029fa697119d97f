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
  core::DriftReport report;
  report.expected_sha256 = std::string(built_agent_sha256());
  report.hosts.resize(hosts.size());
  // Each answer is classified as it comes: 10,000 hosts' reports are never all held at once.
  for_each_host_result(
      transport, hosts, [](const core::HostSelection&) { return version_call(); },
      [&](std::size_t i, core::AgentResult&& result) {
        report.hosts[i] =
            core::classify_agent_version(hosts[i].name, result, report.expected_sha256);
      });
  return report;
}

}  // namespace drover::cli
