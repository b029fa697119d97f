#pragma once
// A virtual clock: sleeping advances time instantly. Thread-safe.
#include <mutex>

#include "util/clock.h"
#include "util/random.h"

namespace drover::testing {

class FakeClock final : public Clock {
 public:
  TimePoint now() override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  void sleep_for(Duration d) override {
    std::lock_guard lock(mutex_);
    now_ += d;
    slept_ += d;
  }
  /// Calendar time: 2026-11-28T00:00:00Z when the clock was made, then as virtual time moves.
  WallTime wall_now() override {
    std::lock_guard lock(mutex_);
    return kEpoch + (now_ - TimePoint{});
  }
  static constexpr WallTime kEpoch{std::chrono::seconds(1795824000)};
  Duration slept() {
    std::lock_guard lock(mutex_);
    return slept_;
  }

 private:
  std::mutex mutex_;
  TimePoint now_{};
  Duration slept_{0};
};

/// Always returns the same value (clamped into the range asked for).
class FixedRandom final : public Random {
 public:
  explicit FixedRandom(std::int64_t value) : value_(value) {}
  std::int64_t uniform(std::int64_t lo, std::int64_t hi) override {
    return std::max(lo, std::min(hi, value_));
  }

 private:
  std::int64_t value_;
};

}  // namespace drover::testing
