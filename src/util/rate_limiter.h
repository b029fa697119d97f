#pragma once
// A client-side request budget: at most `per_second` requests a second on average, with
// bursts of up to `burst` at once, for every caller of one limiter together. AWS meters its
// APIs per account and region with token buckets (EC2 documents a bucket of 100 tokens
// refilled at 20 a second for its non-mutating calls; SSM's quotas are a few tens a second)
// and the account shares them with everything else it runs, so drover paces itself rather than
// spending the account's tokens and leaning on the throttling backoff.
//
// The rule is the generic cell rate algorithm (GCRA), the token bucket written as one number:
// each request is due `1 / per_second` after the previous one's due time, and may go up to
// `burst - 1` intervals ahead of its due time. acquire() waits (on the Clock) until the request
// may go. Thread-safe: concurrent callers are served in the order they reserve, none waits
// twice, and a sleeping caller holds no lock.
#include <chrono>
#include <cstddef>
#include <mutex>

#include "util/clock.h"

namespace drover {

class RateLimiter {
 public:
  /// `per_second` > 0; `burst` ≥ 1. `clock` must outlive the limiter.
  RateLimiter(double per_second, std::size_t burst, Clock& clock);

  /// Waits until one more request fits the budget, then counts it as sent.
  void acquire();
  /// Counts one request now and says how long its caller must wait before sending it (0: at
  /// once). acquire() is reserve() and the sleep.
  Duration reserve();

 private:
  std::chrono::microseconds interval_;   // between two requests at the steady rate
  std::chrono::microseconds tolerance_;  // how far ahead of its due time a request may go
  Clock& clock_;
  std::mutex mutex_;
  std::chrono::microseconds due_{0};  // the next request's due time, on clock_'s time line
};

}  // namespace drover
