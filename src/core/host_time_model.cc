#include "core/host_time_model.h"

#include <algorithm>

#include "core/duration_estimate.h"

namespace drover::core {
namespace {

// Failure draws in millionths: rates are given to at most 4 decimals (0.01 %).
constexpr std::int64_t kRateScale = 1'000'000;

Duration pick(const std::vector<Duration>& samples, Random& random) {
  const auto last = static_cast<std::int64_t>(samples.size()) - 1;
  return samples[static_cast<std::size_t>(random.uniform(0, last))];
}

}  // namespace

Duration HostTimeModel::draw_duration(const HostName& host, Random& random) const {
  if (!by_host.empty()) {
    const auto own = by_host.find(host);
    if (own != by_host.end() && !own->second.empty()) return pick(own->second, random);
  }
  if (!pooled.empty()) return pick(pooled, random);
  return Duration(random.uniform(low.count(), std::max(low, high).count()));
}

Duration HostTimeModel::draw_login_after(Random& random) const {
  return login_after.empty() ? Duration(0) : pick(login_after, random);
}

bool HostTimeModel::draw_failure(Random& random) const {
  if (failure_rate <= 0.0) return false;
  const auto threshold = static_cast<std::int64_t>(failure_rate * kRateScale);
  return random.uniform(0, kRateScale - 1) < threshold;
}

HostTimeModel time_model_from_settings(const SpeedSettings& settings) {
  HostTimeModel model;
  model.low = kSwapOverhead + settings.settle;
  model.high = model.low + (settings.login_poll ? settings.login_wait : Duration(0));
  return model;
}

HostTimeModel time_model_from_history(const SpeedHistory& history) {
  HostTimeModel model;
  model.pooled = history.took;
  model.by_host = history.took_by_host;
  model.failure_rate = history.failure_rate();
  model.login_after = history.login_after;
  return model;
}

}  // namespace drover::core
