#pragma once
// How long a rollout will take, for the speed table and the plan's "Est. duration" row.
//
// Model: with a sliding window of c hosts over n hosts and a per-host time t, the rollout
// takes about ceil(n / c) × t. One host's swap takes
//   low  = kSwapOverhead + settle               (bots log in by the end of the settle window)
//   high = kSwapOverhead + settle + login_wait  (the login poll runs to its limit)
// kSwapOverhead (15 s) covers pulling the pinned image, a well-behaved bot's graceful stop
// (seconds, after SIGTERM; the stop timeout is a ceiling rarely reached, so it is not added),
// and creating and starting the new container.
// For the guide's fleet (178 hosts, defaults): routine 36 windows × 25–50 s = 15–30 min,
// fast 18 × 25–50 s = 7.5–15 min, shown "~8-15 min" (minutes are rounded up).
// When every host runs at once behind start slots spread over the storm window (immediate;
// core/start_slots.h), the meaningful number is when the last host starts: "fires over ~60s".
// Start slots (a storm window, a login_rate cap) also hold a sliding window's hosts back: a
// rollout never ends before its last slot plus one host's swap.
#include <cstddef>
#include <string>

#include "core/speed_settings.h"
#include "util/clock.h"

namespace drover::core {

inline constexpr Duration kSwapOverhead{std::chrono::seconds(15)};

struct DurationEstimate {
  Duration low{0};
  Duration high{0};
  Duration fires_over{0};  // non-zero when all hosts start at once, spread by start slots
};

/// `last_start`: the last host's start slot (start_slots.h), from the rollout's start.
DurationEstimate estimate_duration(const SpeedSettings& speed, std::size_t hosts,
                                   Duration last_start);
/// The same with the slots of `hosts` hosts evenly over the speed's storm window and no login
/// cap (the speed table, which knows no bot counts).
DurationEstimate estimate_duration(const SpeedSettings& speed, std::size_t hosts);

/// "~15-30 min", "~8-15 min", "~25-50s", "~15 min", "fires over ~60s".
/// Under two minutes the range is in seconds, otherwise in whole minutes rounded up.
std::string format_estimate(const DurationEstimate& estimate);

}  // namespace drover::core
