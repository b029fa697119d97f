#pragma once
// A Clock that only moves when told to: the scheduler's tests and the simulator run a
// 30-minute rollout in microseconds with it. Pure (no OS time), so it lives in core.
// Invariant: now() never goes backwards.
#include "util/clock.h"

namespace drover::core {

class VirtualClock final : public Clock {
 public:
  explicit VirtualClock(TimePoint start = TimePoint{}) : now_(start) {}

  TimePoint now() override { return now_; }
  /// Sleeping is advancing: whoever "sleeps" makes virtual time pass.
  void sleep_for(Duration d) override { advance(d); }
  /// The calendar follows virtual time from a fixed epoch (2026-11-28T00:00:00Z at start).
  WallTime wall_now() override { return kVirtualEpoch + (now_ - TimePoint{}); }
  static constexpr WallTime kVirtualEpoch{std::chrono::seconds(1795824000)};

  /// Moves time forward by `d`; a negative `d` is ignored.
  void advance(Duration d) {
    if (d.count() > 0) {
      now_ += d;
    }
  }
  /// Moves time forward to `t`, if it is later than now.
  void advance_to(TimePoint t) {
    if (t > now_) {
      now_ = t;
    }
  }

 private:
  TimePoint now_;
};

}  // namespace drover::core
