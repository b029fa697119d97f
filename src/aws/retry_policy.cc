#include "aws/retry_policy.h"

#include <algorithm>
#include <array>

namespace drover::aws {

bool is_throttling_code(std::string_view code) {
  // The throttling codes the AWS SDKs' standard retry mode recognizes.
  static constexpr std::array<std::string_view, 14> kThrottlingCodes = {
      "Throttling",
      "ThrottlingException",
      "ThrottledException",
      "RequestThrottledException",
      "TooManyRequestsException",
      "ProvisionedThroughputExceededException",
      "TransactionInProgressException",
      "RequestLimitExceeded",
      "BandwidthLimitExceeded",
      "LimitExceededException",
      "RequestThrottled",
      "SlowDown",
      "PriorRequestNotComplete",
      "EC2ThrottledException",
  };
  return std::find(kThrottlingCodes.begin(), kThrottlingCodes.end(), code) !=
         kThrottlingCodes.end();
}

bool is_transient_status(long http_status) {
  return http_status == 500 || http_status == 502 || http_status == 503 || http_status == 504;
}

bool is_retryable(const AwsError& error) {
  if (error.http_status() == 0) return error.code() == kEndpointUnreachable;
  return is_throttling_code(error.code()) || is_transient_status(error.http_status());
}

Duration backoff_delay(const RetryPolicy& policy, int retry, Random& random) {
  // Doubling stops once past the cap, so a large retry number cannot overflow.
  std::int64_t ceiling = policy.base_delay.count();
  for (int i = 1; i < retry && ceiling < policy.max_delay.count(); ++i) ceiling *= 2;
  ceiling = std::min<std::int64_t>(ceiling, policy.max_delay.count());
  return Duration(random.uniform(0, std::max<std::int64_t>(ceiling, 0)));
}

}  // namespace drover::aws
