#pragma once
// The drift check: `drover-agent version` on every host, each answer judged against the agent
// build this drover was made with (built_agent_sha256). Shared by `drover drift`, `drover
// baseline --install-agent` and the drift preflight of `drover deploy`.
#include <vector>

#include "core/agent_drift.h"
#include "core/target.h"
#include "core/transport.h"

namespace drover::cli {

/// The `version` call: quick, touches nothing on the host.
core::AgentCall version_call();

/// Asks every host (a bounded number at once) which agent it runs. Hosts keep their order.
core::DriftReport check_agent_versions(const std::vector<core::HostSelection>& hosts,
                                       core::Transport& transport);

}  // namespace drover::cli
