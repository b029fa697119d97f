#include "util/random.h"

namespace drover {

SystemRandom::SystemRandom() : engine_(std::random_device{}()) {}

std::int64_t SystemRandom::uniform(std::int64_t lo, std::int64_t hi) {
  std::lock_guard lock(mutex_);
  return std::uniform_int_distribution<std::int64_t>(lo, hi)(engine_);
}

}  // namespace drover
