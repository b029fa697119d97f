#pragma once
// The drover-agent command lines a deploy sends to each host, built as argv from the plan and
// the configuration (never a shell string), and the turning of what came back into a host
// outcome or bot statuses.
#include <vector>

#include "cli/config/drover_toml.h"
#include "core/agent_report.h"
#include "core/deploy_plan.h"
#include "core/host_outcome.h"
#include "core/transport.h"

namespace drover::cli {

/// `swap --bots … --image <pinned> --stop-timeout … --settle … [--jitter …] --login-wait …`
core::AgentCall swap_call(const core::DeployPlan& plan, const core::HostSelection& host,
                          const DroverConfig& config);
/// `status --bots … --expect-image <pinned> --login-probe …`
core::AgentCall status_call(const std::vector<core::BotId>& bots, const std::string& expect_image,
                            const DroverConfig& config);
/// `baseline --disk-floor-mb … [--fix]`
core::AgentCall baseline_call(const DroverConfig& config, bool fix);

/// What a swap call came back with: the host's outcome, and each bot's step durations when the
/// agent reported them.
struct SwapCallResult {
  core::HostOutcome outcome;
  std::vector<core::BotTimings> timings;
};
SwapCallResult read_swap_call(const core::AgentResult& result,
                              const std::vector<core::BotId>& bots);
/// The bot statuses a status call reported; empty (with `problem` set) when the host did not
/// answer usably, so its bots count as unanswered.
std::vector<core::BotStatus> status_from_result(const core::AgentResult& result,
                                                std::string& problem);

/// A core::Host for a selected host (the transport's view of it).
core::Host host_of(const core::HostSelection& selection);

}  // namespace drover::cli
