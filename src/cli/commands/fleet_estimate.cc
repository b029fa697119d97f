#include "cli/commands/fleet_estimate.h"

#include "cli/state/deploy_journal.h"
#include "core/history_estimate.h"
#include "util/random.h"

namespace drover::cli {

core::FleetHistory load_fleet_history(const DroverConfig& config, CliWorld& world) {
  auto listing = list_deploys(StateDir::open_for(world.env, config.fleet));
  for (const auto& warning : listing.warnings) {
    world.terminal.error("drover: warning: " + warning + "\n");
  }
  core::FleetHistory history;
  for (const auto& deploy : listing.deploys) history.add(deploy.replay);
  return history;
}

void add_measured_estimate(core::DeployPlan& plan, const DroverConfig& config, CliWorld& world) {
  SeededRandom random(kEstimateSeed);
  plan.measured_estimate =
      core::estimate_from_history(plan, load_fleet_history(config, world), random);
}

}  // namespace drover::cli
