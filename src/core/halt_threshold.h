#pragma once
// When the error halt stops a rollout.
//
// The rule: with `total` hosts in the plan and a threshold fraction f, the rollout halts as
// soon as   failed > f × total,   i.e. once the failures EXCEED the threshold. In integers:
// tolerated = floor(f × total) failures are allowed, one more halts. So:
//   178 hosts at 10 %: 17.8 → 17 tolerated, the 18th failure halts (the 17th does not);
//    10 hosts at 10 %: exactly 1.0 → 1 tolerated, the 2nd failure halts;
//     3 hosts at 10 %: 0.3 → 0 tolerated, the FIRST failure halts. Small deploys (staging, a
//       handful of hosts) therefore stop at the first failure, which is what an operator wants
//       when every host is a large share of the target.
// `total` is every host of the plan, including ones a resumed deploy skips as already done.
// Invariant: fraction, when set, is within [0, 1]; `never` never halts (immediate speed).
#include <cstddef>
#include <optional>

namespace drover::core {

class HaltThreshold {
 public:
  /// Halts once failures exceed `fraction` of the hosts (0.10 for "10 %").
  static HaltThreshold over_fraction(double fraction);
  static HaltThreshold never() { return HaltThreshold(std::nullopt); }

  bool is_never() const { return !fraction_; }
  /// The fraction; only meaningful when !is_never().
  double fraction() const { return fraction_.value_or(1.0); }
  /// How many failed hosts out of `total` are tolerated without halting.
  std::size_t tolerated_failures(std::size_t total) const;
  /// True when `failed` out of `total` exceeds the threshold.
  bool halts(std::size_t failed, std::size_t total) const;

  bool operator==(const HaltThreshold&) const = default;

 private:
  explicit HaltThreshold(std::optional<double> fraction) : fraction_(fraction) {}
  std::optional<double> fraction_;
};

}  // namespace drover::core
