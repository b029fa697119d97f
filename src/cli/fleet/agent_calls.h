#pragma once
// The drover-agent command lines a deploy sends to each host, built as argv from the plan and
// the configuration (never a shell string), and the turning of what came back into a host
// outcome or bot statuses.
#include <vector>

#include "cli/config/drover_toml.h"
#include "core/agent_report.h"
#include "core/deploy_plan.h"
#include "core/host_outcome.h"
#include "core/rollout_result.h"
#include "core/transport.h"

namespace drover::cli {

/// `swap --bots … --image <pinned> --stop-timeout … --settle … --login-wait …` (never --jitter:
/// drover spreads the starts itself);
/// for a rollback, --image is the host's most common target and --bot-image names the others.
core::AgentCall swap_call(const core::DeployPlan& plan, const core::HostSelection& host,
                          const DroverConfig& config);
/// `status --bots … --expect-image <image> [--bot-image …] --login-probe …`
core::AgentCall status_call(const std::vector<core::BotId>& bots,
                            const core::ExpectedImages& expected, const DroverConfig& config);
/// `baseline --disk-floor-mb … [--fix]`
core::AgentCall baseline_call(const DroverConfig& config, bool fix);

/// What a swap call came back with: the host's outcome, and each bot's record when the agent
/// reported (none when it was unreachable, timed out, or printed no usable report).
struct SwapHostResult {
  core::HostOutcome outcome;
  std::vector<core::BotRecord> bots;
};
SwapHostResult read_swap_result(const core::AgentResult& result,
                                const std::vector<core::BotId>& bots);
/// The bot statuses a status call reported; empty (with `problem` set) when the host did not
/// answer usably, so its bots count as unanswered.
std::vector<core::BotStatus> status_from_result(const core::AgentResult& result,
                                                std::string& problem);

/// A core::Host for a selected host (the transport's view of it).
core::Host host_of(const core::HostSelection& selection);

}  // namespace drover::cli
