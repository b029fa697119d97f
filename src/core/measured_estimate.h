#pragma once
// The plan box's "Est. duration" when the fleet has a history at the plan's speed: the
// simulator's makespan (fleet_simulator.h) over the recorded per-host durations, instead of the
// guide's table (duration_estimate.h). Made by the CLI at plan time (it reads the journals),
// journaled with the plan so `drover show` prints the estimate the operator confirmed.
#include <cstddef>
#include <string>

#include "util/clock.h"

namespace drover::core {

struct MeasuredEstimate {
  Duration p50{0};
  Duration p90{0};
  std::size_t deploys = 0;       // journals at this speed the durations came from
  std::size_t host_records = 0;  // their timed host records

  bool operator==(const MeasuredEstimate&) const = default;
};

/// "4m10s", "45s", "1h05m": a simulated duration, rounded up to the second (to the minute from
/// an hour on).
std::string format_span(Duration d);

/// "~4m10s (simulated from 12 deploys; p90 ~5m02s)".
std::string format_measured(const MeasuredEstimate& estimate);

}  // namespace drover::core
