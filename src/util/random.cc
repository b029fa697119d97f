#include "util/random.h"

#include <limits>

namespace drover {

SystemRandom::SystemRandom() : engine_(std::random_device{}()) {}

std::int64_t SystemRandom::uniform(std::int64_t lo, std::int64_t hi) {
  std::lock_guard lock(mutex_);
  return std::uniform_int_distribution<std::int64_t>(lo, hi)(engine_);
}

std::int64_t SeededRandom::uniform(std::int64_t lo, std::int64_t hi) {
  if (hi <= lo) return lo;
  const auto span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  if (span == std::numeric_limits<std::uint64_t>::max()) {
    return static_cast<std::int64_t>(engine_());
  }
  // Rejection sampling: draws above the largest multiple of the range are redrawn, so every
  // value of [lo, hi] is equally likely.
  const std::uint64_t range = span + 1;
  const std::uint64_t limit =
      std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % range;
  std::uint64_t draw = engine_();
  while (draw >= limit) draw = engine_();
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + draw % range);
}

}  // namespace drover
