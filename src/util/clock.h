#pragma once
// Time as an interface: the real side sleeps, the test side only advances a counter,
// so swap settle windows and rollout schedules run in microseconds under test.
#include <chrono>

namespace drover {

using Duration = std::chrono::milliseconds;
using TimePoint = std::chrono::time_point<std::chrono::steady_clock, Duration>;
/// Calendar time, to compare with timestamps others wrote (a container's State.StartedAt).
using WallTime = std::chrono::time_point<std::chrono::system_clock, std::chrono::nanoseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  /// Monotonic time: intervals, deadlines, sleeps.
  virtual TimePoint now() = 0;
  virtual void sleep_for(Duration d) = 0;
  /// The calendar time now. Only for comparing with timestamps from outside (the Docker
  /// engine's, on the same host); never for measuring an interval of our own.
  virtual WallTime wall_now() = 0;
};

/// The real clock: std::chrono::steady_clock, std::this_thread::sleep_for and
/// std::chrono::system_clock.
class SteadyClock final : public Clock {
 public:
  TimePoint now() override;
  void sleep_for(Duration d) override;
  WallTime wall_now() override;
};

}  // namespace drover
