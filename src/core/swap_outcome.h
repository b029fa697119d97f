#pragma once
// Turns what an agent said about its swap into the host's outcome for the scheduler.
// A host succeeded only when the agent reports ok, no error, and every bot the deploy asked
// for as swapped or unchanged. A bot that rolled back is on the old image ("stale"): its host
// counts as failed, which is what feeds the error halt.
#include <vector>

#include "core/agent_report.h"
#include "core/bot_id.h"
#include "core/host_outcome.h"
#include "core/rollout_result.h"

namespace drover::core {

/// The outcome of a parsed swap report for a host asked to swap `expected` bots. Failure
/// reasons name the bots: "bot541 rolled back: exited with code 1; bot542 missing from report".
HostOutcome swap_outcome(const SwapReport& report, const std::vector<BotId>& expected);

/// What the report says about each of its bots, for the journal.
std::vector<BotRecord> bot_records(const SwapReport& report);

}  // namespace drover::core
