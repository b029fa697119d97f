#pragma once
// An HttpClient that spends one request of a RateLimiter's budget before every request it
// passes on: the AWS clients' side of `[aws] max_requests_per_second`. Every attempt counts,
// retries too, since AWS meters attempts; the throttling backoff (aws/retry_policy.h) comes on
// top when AWS still answers "slow down".
#include "util/http/http_client.h"
#include "util/rate_limiter.h"

namespace drover {

class RateLimitedHttpClient final : public HttpClient {
 public:
  /// Both must outlive this client.
  RateLimitedHttpClient(HttpClient& inner, RateLimiter& budget) : inner_(inner), budget_(budget) {}

  HttpResponse send(const HttpRequest& request) override {
    budget_.acquire();
    return inner_.send(request);
  }

 private:
  HttpClient& inner_;
  RateLimiter& budget_;
};

}  // namespace drover
