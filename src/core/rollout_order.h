#pragma once
// The scheduler's options for a plan: which hosts in which order, their start slots, the
// window and the halt. The one place that decides it, so the real rollout
// (cli/fleet/rollout_driver.cc) and the simulator (fleet_simulator.h) schedule alike.
//
// Hosts in `already_done` (a resume) come first and are never started. With a storm window or
// a login cap, every other host gets its own start slot in a random order (start_slots.h) and
// is listed in slot order; otherwise the hosts keep the plan's order and start at once.
#include <set>
#include <vector>

#include "core/rollout_scheduler.h"
#include "core/speed_settings.h"
#include "core/target.h"
#include "util/random.h"

namespace drover::core {

RolloutOptions rollout_options_for(const std::vector<HostSelection>& hosts,
                                   const SpeedSettings& settings,
                                   const std::set<HostName>& already_done, Random& random);

}  // namespace drover::core
