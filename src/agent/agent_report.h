#pragma once
// What the agent's commands did, as the agent protocol's reports (core/agent_report.h): the
// one JSON document each command prints on stdout. Kept compact so three bots fit well
// inside SSM's 24,000-character output.
#include <string>
#include <vector>

#include "agent/host_swap.h"
#include "agent/recover.h"
#include "core/agent_report.h"

namespace drover::agent {

core::SwapReport swap_report(const std::string& host, const HostSwapResult& result);
/// `ok` when every bot runs, on the expected image when one was given, and answered.
core::StatusReport status_report(const std::string& host, std::vector<core::BotStatus> bots);
/// `ok` when every bot runs again.
core::RecoverReport recover_report(const std::string& host, const std::vector<RecoverResult>& bots);

}  // namespace drover::agent
