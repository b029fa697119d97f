#pragma once
// The live bar's ETA (issue 14): how long the hosts left will take, learnt from the hosts
// finished so far in this rollout. Each host left is assumed to take the mean duration of the
// finished ones; the hosts in flight need what is left of that mean, and the hosts not started
// yet fill the window's places as they free up (list scheduling over `window` places). No
// estimate before the first host has finished: a guess would be the plan box's, not a
// measurement. Storm slots that hold hosts back longer than the window does are not modelled.
#include <optional>
#include <string>
#include <vector>

#include "util/clock.h"

namespace drover::core {

struct LiveEtaInput {
  Duration finished_total{0};            // the durations of the hosts finished so far, summed
  std::size_t finished = 0;              // how many they are
  std::vector<Duration> in_flight_ages;  // how long each host in flight has been running
  std::size_t not_started = 0;           // hosts still to start
  std::size_t window = 1;                // hosts at once
};

/// The time until the last host finishes, or nullopt while no host has finished.
std::optional<Duration> live_eta(const LiveEtaInput& input);

/// "ETA 4m10s", "ETA 45s", "ETA 1h02m"; "ETA …" when there is no estimate yet.
std::string render_eta(std::optional<Duration> eta);

}  // namespace drover::core
