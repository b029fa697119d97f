#pragma once
// Randomness as an interface so jitter is reproducible under test.
#include <cstdint>
#include <mutex>
#include <random>

namespace drover {

class Random {
 public:
  virtual ~Random() = default;
  /// A uniformly distributed integer in [lo, hi].
  virtual std::int64_t uniform(std::int64_t lo, std::int64_t hi) = 0;
};

/// Seeded from std::random_device; safe to share between threads.
class SystemRandom final : public Random {
 public:
  SystemRandom();
  std::int64_t uniform(std::int64_t lo, std::int64_t hi) override;

 private:
  std::mutex mutex_;
  std::mt19937_64 engine_;
};

}  // namespace drover
