#pragma once
// The fleet's history as the simulator needs it (core/fleet_history.h), read from the journals
// of the state directory, and the plan box's measured "Est. duration" made from it
// (core/history_estimate.h), for `drover deploy`, `drover rollback` and `drover simulate`.
#include <cstdint>
#include <string>
#include <vector>

#include "cli/cli_world.h"
#include "cli/config/drover_toml.h"
#include "core/deploy_plan.h"
#include "core/fleet_history.h"

namespace drover::cli {

/// The plan box's estimate is seeded with a constant: the same history gives the same box.
inline constexpr std::uint64_t kEstimateSeed = 1;

/// Every readable journal of the fleet; a journal that cannot be read is left out, and printed
/// as a warning on stderr (as `drover history` does). Throws StorageError when the state
/// directory cannot be opened or listed.
core::FleetHistory load_fleet_history(const DroverConfig& config, CliWorld& world);

/// Sets plan.measured_estimate from the fleet's history at the plan's speed (left unset when
/// there is none, and the box shows the guide's estimate).
void add_measured_estimate(core::DeployPlan& plan, const DroverConfig& config, CliWorld& world);

}  // namespace drover::cli
