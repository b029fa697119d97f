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

/// The same sequence for the same seed, on every machine (mt19937_64 is specified by the
/// standard, and uniform() maps it without a distribution object, whose algorithm is not):
/// `drover simulate --seed S` repeats a run, and tests get one exact order. Not thread-safe.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed) : engine_(seed) {}
  std::int64_t uniform(std::int64_t lo, std::int64_t hi) override;

 private:
  std::mt19937_64 engine_;
};

}  // namespace drover
