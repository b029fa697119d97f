#pragma once
// A plan's "Est. duration" from the fleet's history: the simulator (fleet_simulator.h) run
// with the plan's hosts and settings and the per-host durations and failure rate recorded at
// the plan's speed. nullopt when that speed has no history, and the box falls back to the
// guide's table.
#include <cstddef>
#include <optional>

#include "core/deploy_plan.h"
#include "core/fleet_history.h"
#include "core/measured_estimate.h"
#include "util/random.h"

namespace drover::core {

/// Runs the estimate needs for a stable p50/p90 and still costs the plan a few milliseconds.
inline constexpr std::size_t kEstimateRuns = 200;

std::optional<MeasuredEstimate> estimate_from_history(const DeployPlan& plan,
                                                      const FleetHistory& history, Random& random,
                                                      std::size_t runs = kEstimateRuns);

}  // namespace drover::core
