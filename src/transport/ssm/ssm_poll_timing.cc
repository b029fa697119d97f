#include "transport/ssm/ssm_poll_timing.h"

#include <algorithm>
#include <cmath>

namespace drover::transport {
namespace {

// After the expected end: SSM lists a finished invocation a moment after its finish date, and
// the answer to the send came back a moment after the request date. Small on purpose: a first
// poll that comes too soon costs one poll more, one that comes late delays every host (the
// 178-instance routine bench: 82 s with this slack, 96 s with half a second).
constexpr Duration kMinSlack = std::chrono::milliseconds(100);
constexpr double kSlackFraction = 0.05;
// No first poll sooner than this, however short the runs.
constexpr Duration kMinFirstPoll = std::chrono::milliseconds(500);

}  // namespace

void RunTimeEstimate::observe(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) {
    return;
  }
  recent_[count_ % kRunTimesKept] = seconds;
  ++count_;
}

std::optional<Duration> RunTimeEstimate::expected() const {
  if (count_ == 0) {
    return std::nullopt;
  }
  const auto kept = std::min(count_, kRunTimesKept);
  const double longest = *std::max_element(recent_.begin(), recent_.begin() + kept);
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(longest));
}

Duration first_poll_delay(std::optional<Duration> expected, Duration interval) {
  if (!expected || interval <= Duration::zero()) {
    return interval;
  }
  const auto slack =
      std::max(kMinSlack, std::chrono::duration_cast<Duration>(*expected * kSlackFraction));
  const auto target = *expected + slack;
  if (target <= interval) {
    return std::max(target, std::min(kMinFirstPoll, interval));
  }
  return interval + (target - interval) % interval;
}

}  // namespace drover::transport
