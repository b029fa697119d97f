// The request budget (util/rate_limiter.h) on a virtual clock: bursts up to the burst, then
// the steady rate; an idle limiter saves up no more than one burst; in no second of a long run
// do more requests go than the burst plus the rate; callers on many threads share one budget.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/virtual_clock.h"
#include "util/http/rate_limited_http_client.h"
#include "util/rate_limiter.h"

namespace drover {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// When each of `n` requests goes, acquiring one after another on `clock`.
std::vector<Duration> send_times(RateLimiter& limiter, core::VirtualClock& clock, int n) {
  const auto start = clock.now();
  std::vector<Duration> times;
  for (int i = 0; i < n; ++i) {
    limiter.acquire();
    times.push_back(clock.now() - start);
  }
  return times;
}

// The most requests within any [t, t + 1 s).
std::size_t peak_per_second(const std::vector<Duration>& times) {
  std::size_t peak = 0;
  for (std::size_t i = 0, j = 0; i < times.size(); ++i) {
    while (j < times.size() && times[j] < times[i] + seconds(1)) ++j;
    peak = std::max(peak, j - i);
  }
  return peak;
}

TEST(RateLimiter, LetsABurstGoAtOnceThenHoldsTheRate) {
  core::VirtualClock clock;
  RateLimiter limiter(20, 20, clock);
  const auto times = send_times(limiter, clock, 100);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(times[i], Duration(0)) << "request " << i;
  EXPECT_EQ(times[20], milliseconds(50)) << "then one every 1/20 s";
  EXPECT_EQ(times[99], milliseconds(50 * 80));
  EXPECT_LE(peak_per_second(times), 40u) << "a burst and a second's worth at most";
}

TEST(RateLimiter, AnIdleLimiterSavesUpOneBurstAndNoMore) {
  core::VirtualClock clock;
  RateLimiter limiter(10, 5, clock);
  send_times(limiter, clock, 50);
  clock.advance(seconds(60));
  const auto times = send_times(limiter, clock, 10);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(times[i], Duration(0)) << "request " << i;
  EXPECT_EQ(times[5], milliseconds(100)) << "the sixth waits: a minute idle is not 600 requests";
}

TEST(RateLimiter, ABurstOfOneSpacesEveryRequest) {
  core::VirtualClock clock;
  RateLimiter limiter(3, 1, clock);
  const auto times = send_times(limiter, clock, 4);
  EXPECT_EQ(times, (std::vector<Duration>{milliseconds(0), milliseconds(334), milliseconds(667),
                                          milliseconds(1000)}))
      << "1/3 s apart, rounded up to the clock's milliseconds: never faster than the rate";
  EXPECT_LE(peak_per_second(times), 3u);
}

TEST(RateLimiter, ReservationsFromManyThreadsShareOneBudget) {
  core::VirtualClock clock;  // never advanced: each reservation says how long its caller waits
  RateLimiter limiter(50, 10, clock);
  std::mutex mutex;
  std::vector<Duration> waits;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        const auto wait = limiter.reserve();
        std::lock_guard lock(mutex);
        waits.push_back(wait);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::sort(waits.begin(), waits.end());
  ASSERT_EQ(waits.size(), 200u);
  EXPECT_EQ(std::count(waits.begin(), waits.end(), Duration(0)), 10) << "one burst at once";
  // The 200 requests of 8 threads are spread as one caller's would be: the last goes after
  // (200 - 10) intervals of 20 ms, and no two share a slot.
  EXPECT_EQ(waits.back(), milliseconds(20 * 190));
  EXPECT_EQ(std::adjacent_find(waits.begin() + 10, waits.end()), waits.end());
}

TEST(RateLimiter, RefusesARateThatIsNotPositiveOrABurstOfZero) {
  core::VirtualClock clock;
  EXPECT_THROW(RateLimiter(0, 1, clock), std::invalid_argument);
  EXPECT_THROW(RateLimiter(-1, 1, clock), std::invalid_argument);
  EXPECT_THROW(RateLimiter(1, 0, clock), std::invalid_argument);
}

// An HttpClient that only counts, when, what reached it: the other side of the decorator.
class TimedSink final : public HttpClient {
 public:
  explicit TimedSink(core::VirtualClock& clock) : clock_(clock) {}
  HttpResponse send(const HttpRequest&) override {
    sent.push_back(clock_.now());
    return {200, {}, "", "", HttpFailure::none};
  }
  std::vector<TimePoint> sent;

 private:
  core::VirtualClock& clock_;
};

TEST(RateLimitedHttpClient, SpendsTheBudgetBeforeEveryRequestItPassesOn) {
  core::VirtualClock clock;
  RateLimiter limiter(2, 1, clock);
  TimedSink sink(clock);
  RateLimitedHttpClient client(sink, limiter);
  const auto start = clock.now();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(client.send({}).status, 200);
  ASSERT_EQ(sink.sent.size(), 3u);
  EXPECT_EQ(sink.sent[2] - start, seconds(1)) << "two a second: the third half a second after";
}

}  // namespace
}  // namespace drover
