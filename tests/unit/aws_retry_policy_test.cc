#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>
#include <vector>

#include "aws/retry_policy.h"
#include "core/virtual_clock.h"
#include "support/fixed_random.h"

namespace drover::aws {
namespace {

using drover::core::VirtualClock;
using drover::testing::FixedRandom;
using std::chrono::milliseconds;

// Records the ranges asked for and answers the top of each, so waits are the full ceilings.
class CeilingRandom final : public Random {
 public:
  std::int64_t uniform(std::int64_t lo, std::int64_t hi) override {
    ranges.emplace_back(lo, hi);
    return hi;
  }
  std::vector<std::pair<std::int64_t, std::int64_t>> ranges;
};

TEST(AwsRetryPolicy, EveryThrottlingCodeIsRecognized) {
  for (const char* code :
       {"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException",
        "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
        "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException"}) {
    EXPECT_TRUE(is_throttling_code(code)) << code;
    EXPECT_TRUE(is_retryable(AwsError(code, "slow down", 400))) << code;
  }
  EXPECT_FALSE(is_throttling_code("throttling"));  // codes are case-sensitive
  EXPECT_FALSE(is_throttling_code("AccessDeniedException"));
  EXPECT_FALSE(is_throttling_code(""));
}

TEST(AwsRetryPolicy, TransientStatusesAndUnreachableEndpointsAreRetried) {
  for (long status : {500L, 502L, 503L, 504L}) {
    EXPECT_TRUE(is_retryable(AwsError("InternalFailure", "oops", status))) << status;
  }
  EXPECT_TRUE(is_retryable(AwsError(std::string(kEndpointUnreachable), "no answer", 0)));
}

TEST(AwsRetryPolicy, FinalErrorsAreNotRetried) {
  EXPECT_FALSE(is_retryable(AwsError("AccessDeniedException", "no", 400)));
  EXPECT_FALSE(is_retryable(AwsError("ValidationException", "bad", 400)));
  EXPECT_FALSE(is_retryable(AwsError("NotImplemented", "no", 501)));
  EXPECT_FALSE(is_retryable(AwsError("HttpStatus403", "forbidden", 403)));
  EXPECT_FALSE(is_retryable(AwsError("NoCredentials", "none found", 0)));
  EXPECT_FALSE(is_retryable(AwsError("InvalidResponse", "not JSON", 200)));
}

TEST(AwsRetryPolicy, BackoffDoublesFromTheBaseUpToTheCapWithFullJitter) {
  const RetryPolicy policy;
  CeilingRandom random;
  std::vector<std::int64_t> waits;
  for (int retry = 1; retry <= 10; ++retry)
    waits.push_back(backoff_delay(policy, retry, random).count());
  EXPECT_EQ(waits,
            (std::vector<std::int64_t>{100, 200, 400, 800, 1600, 3200, 6400, 12800, 20000, 20000}));
  for (const auto& [lo, hi] : random.ranges) EXPECT_EQ(lo, 0);  // full jitter starts at zero
  EXPECT_EQ(backoff_delay(policy, 1000, random), milliseconds(20000));  // no overflow

  FixedRandom bottom(0);
  EXPECT_EQ(backoff_delay(policy, 5, bottom), milliseconds(0));
  FixedRandom middle(150);
  EXPECT_EQ(backoff_delay(policy, 2, middle), milliseconds(150));
  EXPECT_EQ(backoff_delay(policy, 1, middle), milliseconds(100));
}

TEST(AwsRetryPolicy, DefaultsAreEightAttemptsFrom100MillisecondsCappedAt20Seconds) {
  const RetryPolicy policy;
  EXPECT_EQ(policy.max_attempts, 8);
  EXPECT_EQ(policy.base_delay, milliseconds(100));
  EXPECT_EQ(policy.max_delay, milliseconds(20000));
}

TEST(AwsRetryPolicy, RetriesUntilTheAttemptSucceedsSleepingTheBackoff) {
  VirtualClock clock;
  FixedRandom random(std::numeric_limits<std::int64_t>::max());
  std::vector<int> numbers;
  const int result = call_with_retries(RetryPolicy{}, clock, random, [&](int number) {
    numbers.push_back(number);
    if (number < 4) throw AwsError("ThrottlingException", "Rate exceeded", 400);
    return 42;
  });
  EXPECT_EQ(result, 42);
  EXPECT_EQ(numbers, (std::vector<int>{1, 2, 3, 4}));
  EXPECT_EQ(clock.slept(), milliseconds(100 + 200 + 400));
}

TEST(AwsRetryPolicy, FinalErrorIsThrownAtOnceWithoutSleeping) {
  VirtualClock clock;
  FixedRandom random(1000);
  int attempts = 0;
  try {
    call_with_retries(RetryPolicy{}, clock, random, [&](int) -> int {
      ++attempts;
      throw AwsError("AccessDeniedException", "not authorized", 400);
    });
    FAIL() << "expected AwsError";
  } catch (const AwsError& error) {
    EXPECT_EQ(error.code(), "AccessDeniedException");
    EXPECT_EQ(error.message(), "not authorized");
  }
  EXPECT_EQ(attempts, 1);
  EXPECT_EQ(clock.slept(), milliseconds(0));
}

TEST(AwsRetryPolicy, GivingUpKeepsTheLastErrorAndSaysHowManyAttempts) {
  VirtualClock clock;
  FixedRandom random(std::numeric_limits<std::int64_t>::max());
  int attempts = 0;
  try {
    call_with_retries(RetryPolicy{.max_attempts = 3}, clock, random, [&](int) -> int {
      ++attempts;
      throw AwsError("ServiceUnavailable", "try later", 503);
    });
    FAIL() << "expected AwsError";
  } catch (const AwsError& error) {
    EXPECT_EQ(error.code(), "ServiceUnavailable");
    EXPECT_EQ(error.http_status(), 503);
    EXPECT_EQ(error.message(), "try later (gave up after 3 attempts)");
  }
  EXPECT_EQ(attempts, 3);
  EXPECT_EQ(clock.slept(), milliseconds(100 + 200));
}

TEST(AwsRetryPolicy, ANotIdempotentCallRetriesThrottlingButNotAnUnansweredRequest) {
  VirtualClock clock;
  FixedRandom random(0);
  const RetryPolicy once{.retry_unanswered = false};
  std::vector<int> numbers;
  EXPECT_EQ(call_with_retries(once, clock, random,
                              [&](int number) {
                                numbers.push_back(number);
                                if (number < 3) throw AwsError("ThrottlingException", "slow", 400);
                                return 7;
                              }),
            7);
  EXPECT_EQ(numbers.size(), 3u) << "throttling is answered before AWS acts: safe to repeat";
  for (const auto& [code, status] :
       std::vector<std::pair<std::string, long>>{{std::string(kEndpointUnreachable), 0},
                                                 {"InternalServerError", 500},
                                                 {"ServiceUnavailable", 503}}) {
    int attempts = 0;
    EXPECT_THROW(call_with_retries(once, clock, random,
                                   [&](int) -> int {
                                     ++attempts;
                                     throw AwsError(code, "maybe done", status);
                                   }),
                 AwsError);
    EXPECT_EQ(attempts, 1) << code << ": AWS may have acted on it";
  }
}

TEST(AwsRetryPolicy, SingleAttemptPolicyNeverRetries) {
  VirtualClock clock;
  FixedRandom random(0);
  int attempts = 0;
  EXPECT_THROW(call_with_retries(RetryPolicy{.max_attempts = 1}, clock, random,
                                 [&](int) -> int {
                                   ++attempts;
                                   throw AwsError("Throttling", "slow", 400);
                                 }),
               AwsError);
  EXPECT_EQ(attempts, 1);
}

TEST(AwsRetryPolicy, OtherExceptionsPassStraightThrough) {
  VirtualClock clock;
  FixedRandom random(0);
  int attempts = 0;
  EXPECT_THROW(call_with_retries(RetryPolicy{}, clock, random,
                                 [&](int) -> int {
                                   ++attempts;
                                   throw std::logic_error("bug");
                                 }),
               std::logic_error);
  EXPECT_EQ(attempts, 1);
}

}  // namespace
}  // namespace drover::aws
