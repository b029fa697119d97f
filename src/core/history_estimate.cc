#include "core/history_estimate.h"

#include "core/fleet_simulator.h"
#include "core/host_time_model.h"

namespace drover::core {

std::optional<MeasuredEstimate> estimate_from_history(const DeployPlan& plan,
                                                      const FleetHistory& history, Random& random,
                                                      std::size_t runs) {
  const SpeedHistory* recorded = history.of(plan.speed);
  if (recorded == nullptr || plan.selection.hosts.empty()) return std::nullopt;
  const SimulationSetup setup{plan.selection.hosts, plan.settings,
                              time_model_from_history(*recorded)};
  const auto summary = simulate_many(setup, runs, random);
  return MeasuredEstimate{summary.makespan_p50, summary.makespan_p90, recorded->deploys,
                          recorded->host_records()};
}

}  // namespace drover::core
