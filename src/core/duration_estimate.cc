#include "core/duration_estimate.h"

#include <fmt/format.h>

#include <algorithm>

namespace drover::core {

namespace {

long long ceil_seconds(Duration d) {
  return (d.count() + 999) / 1000;
}
long long ceil_minutes(Duration d) {
  return (d.count() + 59'999) / 60'000;
}

}  // namespace

DurationEstimate estimate_duration(const SpeedSettings& speed, std::size_t hosts,
                                   Duration last_start) {
  DurationEstimate estimate;
  if (hosts == 0) {
    return estimate;
  }
  const std::size_t window = speed.concurrency.window(hosts);
  const auto windows = static_cast<long long>((hosts + window - 1) / window);
  const Duration per_host_low = kSwapOverhead + speed.settle;
  const Duration per_host_high = per_host_low + (speed.login_poll ? speed.login_wait : Duration(0));
  estimate.low = std::max<Duration>(per_host_low * windows, last_start + per_host_low);
  estimate.high = std::max<Duration>(per_host_high * windows, last_start + per_host_high);
  if (windows == 1 && last_start.count() > 0) {
    estimate.fires_over = last_start;
  }
  return estimate;
}

DurationEstimate estimate_duration(const SpeedSettings& speed, std::size_t hosts) {
  const auto n = static_cast<Duration::rep>(hosts);
  const Duration last_start = n == 0 ? Duration(0) : Duration(speed.jitter.count() * (n - 1) / n);
  return estimate_duration(speed, hosts, last_start);
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
