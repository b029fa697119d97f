#pragma once
// A Random that always returns the same value, clamped into the range asked for: jitter and
// backoff become exact numbers a test can assert on.
#include <algorithm>
#include <cstdint>

#include "util/random.h"

namespace drover::testing {

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
