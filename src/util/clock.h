#pragma once
// Time as an interface: the real side sleeps, the test side only advances a counter,
// so swap settle windows and rollout schedules run in microseconds under test.
#include <chrono>

namespace drover {

using Duration = std::chrono::milliseconds;
using TimePoint = std::chrono::time_point<std::chrono::steady_clock, Duration>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() = 0;
  virtual void sleep_for(Duration d) = 0;
};

/// The real clock: std::chrono::steady_clock and std::this_thread::sleep_for.
class SteadyClock final : public Clock {
 public:
  TimePoint now() override;
  void sleep_for(Duration d) override;
};

}  // namespace drover
