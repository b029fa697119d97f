#include "util/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace drover {

namespace {

std::chrono::microseconds since_epoch(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch());
}

}  // namespace

RateLimiter::RateLimiter(double per_second, std::size_t burst, Clock& clock) : clock_(clock) {
  if (!(per_second > 0.0) || !std::isfinite(per_second) || burst == 0) {
    throw std::invalid_argument("a rate limiter needs a positive rate and a burst of at least 1");
  }
  interval_ = std::chrono::microseconds(std::llround(1e6 / per_second));
  interval_ = std::max(interval_, std::chrono::microseconds(1));
  tolerance_ = interval_ * static_cast<std::int64_t>(burst - 1);
}

Duration RateLimiter::reserve() {
  const auto now = since_epoch(clock_.now());
  std::lock_guard lock(mutex_);
  // A request due in the past is due now: an idle limiter saves up no more than its burst.
  due_ = std::max(due_, now);
  const auto may_go = due_ - tolerance_;
  due_ += interval_;
  const auto wait = std::max(std::chrono::microseconds(0), may_go - now);
  // Rounded up to whole milliseconds (the Clock's unit), so the rate is never exceeded.
  return std::chrono::ceil<Duration>(wait);
}

void RateLimiter::acquire() {
  const auto wait = reserve();
  if (wait.count() > 0) {
    clock_.sleep_for(wait);
  }
}

}  // namespace drover
