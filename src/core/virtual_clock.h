#pragma once
// A Clock that only moves when told to: the scheduler's and the agent's tests run a 30-minute
// rollout or a settle window in microseconds with it. Pure (no OS time), so it lives in core,
// and thread-safe, since the agent's bots swap on threads that all "sleep" on one clock.
// Invariant: now() never goes backwards.
#include <functional>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

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
    {
      std::lock_guard lock(mutex_);
      if (d.count() <= 0) return;
      now_ += d;
      slept_ += d;
    }
    ring_due_alarms();
  }
  /// The calendar follows virtual time from a fixed epoch (2026-11-28T00:00:00Z at start).
  WallTime wall_now() override {
    std::lock_guard lock(mutex_);
    return kVirtualEpoch + (now_ - TimePoint{});
  }
  static constexpr WallTime kVirtualEpoch{std::chrono::seconds(1795824000)};

  /// Moves time forward by `d` without counting it as slept; a negative `d` is ignored.
  void advance(Duration d) {
    {
      std::lock_guard lock(mutex_);
      if (d.count() > 0) now_ += d;
    }
    ring_due_alarms();
  }
  /// Runs `action` once, on the thread that moves time to or past `when` (right after it
  /// does): "the operator presses Ctrl-C 3.5 s into the rollout".
  void at(TimePoint when, std::function<void()> action) {
    std::lock_guard lock(mutex_);
    alarms_.emplace(when, std::move(action));
  }
  /// The total of every sleep_for so far.
  Duration slept() {
    std::lock_guard lock(mutex_);
    return slept_;
  }

 private:
  void ring_due_alarms() {
    std::vector<std::function<void()>> due;
    {
      std::lock_guard lock(mutex_);
      while (!alarms_.empty() && alarms_.begin()->first <= now_) {
        due.push_back(std::move(alarms_.begin()->second));
        alarms_.erase(alarms_.begin());
      }
    }
    for (auto& action : due) action();  // outside the lock: an action may read the clock
  }

  std::mutex mutex_;
  std::multimap<TimePoint, std::function<void()>> alarms_;
  TimePoint now_;
  Duration slept_{0};
};

}  // namespace drover::core
