#pragma once
// A Clock that only moves when told to: the scheduler's and the agent's tests run a 30-minute
// rollout or a settle window in microseconds with it. Pure (no OS time), so it lives in core,
// and thread-safe, since the agent's bots swap on threads that all "sleep" on one clock.
// Invariant: now() never goes backwards.
#include <mutex>

#include "util/clock.h"

namespace drover::core {

class VirtualClock final : public Clock {
 public:
  explicit VirtualClock(TimePoint start = TimePoint{}) : now_(start) {}

  TimePoint now() override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  /// Sleeping is advancing: whoever "sleeps" makes virtual time pass.
  void sleep_for(Duration d) override {
    std::lock_guard lock(mutex_);
    if (d.count() <= 0) return;
    now_ += d;
    slept_ += d;
  }
  /// The calendar follows virtual time from a fixed epoch (2026-11-28T00:00:00Z at start).
  WallTime wall_now() override {
    std::lock_guard lock(mutex_);
    return kVirtualEpoch + (now_ - TimePoint{});
  }
  static constexpr WallTime kVirtualEpoch{std::chrono::seconds(1795824000)};

  /// Moves time forward by `d` without counting it as slept; a negative `d` is ignored.
  void advance(Duration d) {
    std::lock_guard lock(mutex_);
    if (d.count() > 0) now_ += d;
  }
  /// The total of every sleep_for so far.
  Duration slept() {
    std::lock_guard lock(mutex_);
    return slept_;
  }

 private:
  std::mutex mutex_;
  TimePoint now_;
  Duration slept_{0};
};

}  // namespace drover::core
