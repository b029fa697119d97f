#pragma once
// Which failed AWS calls are worth repeating, and how long to wait before each repeat: the
// throttling codes and transient HTTP statuses of the AWS SDKs' "standard" retry mode, with
// capped exponential backoff and full jitter so a fleet of callers spreads out instead of
// retrying in lock step. Time and randomness are injected, so tests see exact sleeps.
#include <string>
#include <string_view>

#include "aws/aws_error.h"
#include "util/clock.h"
#include "util/random.h"

namespace drover::aws {

/// drover's code for a request that got no HTTP answer (DNS, connect, TLS, timeout, a reply
/// too large): the AwsError a protocol client throws for an HttpResponse's transport_error.
inline constexpr std::string_view kEndpointUnreachable = "EndpointUnreachable";
/// The AwsError for a request this machine could not send for want of file descriptors or
/// memory (HttpFailure::out_of_resources): nothing reached AWS, and it is not retried.
inline constexpr std::string_view kClientOutOfResources = "ClientOutOfResources";

struct RetryPolicy {
  int max_attempts = 8;  // the first try included; 1 means never retry
  Duration base_delay{100};
  Duration max_delay{20000};
  // False for a request that must not be repeated blindly (SendCommand): only throttling, which
  // AWS answers before acting, is retried; a request that got no answer or a 5xx may have been
  // acted on, and the caller must find out before it sends again.
  bool retry_unanswered = true;
};

/// True for AWS's throttling error codes (Throttling, ThrottlingException, SlowDown, ...).
bool is_throttling_code(std::string_view code);

/// True for HTTP 500, 502, 503 and 504.
bool is_transient_status(long http_status);

/// Whether a failed attempt may succeed if repeated: throttling, a transient status, or no
/// answer at all. Access, validation and credential errors are final.
bool is_retryable(const AwsError& error);

/// The wait before retry number `retry` (1 for the first retry): a uniformly random duration in
/// [0, min(max_delay, base_delay * 2^(retry-1))].
Duration backoff_delay(const RetryPolicy& policy, int retry, Random& random);

/// Runs `attempt` until it returns, or throws an AwsError that is not retryable, or the policy's
/// attempts are used up; sleeps the backoff on `clock` between attempts. `attempt` receives the
/// 1-based attempt number. When attempts run out the last error is rethrown with the number of
/// attempts added to its message.
template <typename Attempt>
auto call_with_retries(const RetryPolicy& policy, Clock& clock, Random& random, Attempt&& attempt) {
  for (int number = 1;; ++number) {
    try {
      return attempt(number);
    } catch (const AwsError& error) {
      if (!is_retryable(error)) throw;
      if (!policy.retry_unanswered && !is_throttling_code(error.code())) throw;
      if (number >= policy.max_attempts) {
        if (number == 1) throw;
        throw AwsError(error.code(),
                       error.message() + " (gave up after " + std::to_string(number) + " attempts)",
                       error.http_status());
      }
    }
    clock.sleep_for(backoff_delay(policy, number, random));
  }
}

}  // namespace drover::aws
