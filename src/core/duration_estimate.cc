#include "core/duration_estimate.h"

#include <fmt/format.h>

namespace drover::core {

namespace {

long long ceil_seconds(Duration d) {
  return (d.count() + 999) / 1000;
}
long long ceil_minutes(Duration d) {
  return (d.count() + 59'999) / 60'000;
}

}  // namespace

DurationEstimate estimate_duration(const SpeedSettings& speed, std::size_t hosts) {
  DurationEstimate estimate;
  if (hosts == 0) {
    return estimate;
  }
  const std::size_t window = speed.concurrency.window(hosts);
  const auto windows = static_cast<long long>((hosts + window - 1) / window);
  const Duration per_host_low = kSwapOverhead + speed.settle;
  const Duration per_host_high = per_host_low + (speed.login_poll ? speed.login_wait : Duration(0));
  estimate.low = per_host_low * windows;
  estimate.high = per_host_high * windows;
  if (windows == 1 && speed.jitter.count() > 0) {
    // The last host may wait the whole jitter before it starts.
    estimate.fires_over = speed.jitter;
    estimate.high += speed.jitter;
  }
  return estimate;
}

std::string format_estimate(const DurationEstimate& estimate) {
  if (estimate.fires_over.count() > 0) {
    return fmt::format("fires over ~{}s", ceil_seconds(estimate.fires_over));
  }
  if (estimate.high < std::chrono::minutes(2)) {
    const auto low = ceil_seconds(estimate.low);
    const auto high = ceil_seconds(estimate.high);
    return low == high ? fmt::format("~{}s", low) : fmt::format("~{}-{}s", low, high);
  }
  const auto low = ceil_minutes(estimate.low);
  const auto high = ceil_minutes(estimate.high);
  return low == high ? fmt::format("~{} min", low) : fmt::format("~{}-{} min", low, high);
}

}  // namespace drover::core
