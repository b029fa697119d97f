#include "cli/aws/connect.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <string>

#include "aws/credential_chain.h"
#include "aws/json_protocol_client.h"
#include "aws/query_protocol_client.h"
#include "aws/region.h"
#include "util/http/rate_limited_http_client.h"
#include "util/rate_limiter.h"

namespace drover::cli {
namespace {

constexpr const char* kEc2ApiVersion = "2016-11-15";

// ECR's API lives at api.ecr.<region>.amazonaws.com, not at the <service>.<region> name the
// generic rule gives; an endpoint from the settings or the environment is kept as it is.
aws::ServiceEndpoint ecr_endpoint(aws::ServiceEndpoint endpoint) {
  const std::string generic = "https://ecr." + endpoint.region + ".amazonaws.com";
  if (endpoint.url == generic || endpoint.url == generic + ".cn") {
    endpoint.url = "https://api.ecr." + endpoint.url.substr(std::string("https://ecr.").size());
  }
  return endpoint;
}

std::optional<std::string> non_empty(const std::optional<std::string>& value) {
  return value && !value->empty() ? value : std::nullopt;
}

// Everything one set of settings needs, alive as long as the process.
struct Session {
  // The request budget every SSM, EC2 and ECR request of the session spends (credential
  // requests go to IMDS, STS or a process and are not metered with them).
  std::unique_ptr<RateLimiter> budget;
  std::unique_ptr<RateLimitedHttpClient> budgeted_http;
  std::unique_ptr<aws::CredentialsProvider> credentials;
  std::unique_ptr<aws::JsonProtocolClient> ssm;
  std::unique_ptr<aws::QueryProtocolClient> ec2;
  std::unique_ptr<aws::JsonProtocolClient> ecr;
  std::string region;
};

class Connector {
 public:
  Connector(EnvLookup env, Clock& clock, Random& random, ProcessRunner& runner, HttpClient& http)
      : env_(std::move(env)), clock_(clock), random_(random), runner_(runner), http_(http) {}

  AwsApis connect(const AwsSettings& settings) {
    const auto region = aws::resolve_region({.explicit_region = settings.region_flag,
                                             .profile = settings.profile,
                                             .fleet_region = settings.region,
                                             .env = env_})
                            .name;
    const auto key = region + "\n" + settings.profile.value_or("") + "\n" +
                     settings.endpoint_url.value_or("") + "\n" +
                     std::to_string(settings.max_requests_per_second);
    std::lock_guard lock(mutex_);
    auto& session = sessions_[key];
    if (!session) session = open(settings, region);
    auto* s = session.get();
    return AwsApis{[s](std::string_view operation, const nlohmann::json& input) {
                     // SendCommand is the one SSM call that is not idempotent: a repeat runs
                     // the agent twice. The ssm transport resolves an unanswered one itself
                     // (ListCommands by its comment) before it sends again.
                     if (operation == "SendCommand")
                       return s->ssm->call_at_most_once(operation, input);
                     return s->ssm->call(operation, input);
                   },
                   [s](std::string_view action, const aws::QueryParameters& parameters) {
                     return s->ec2->call(action, parameters);
                   },
                   [s](std::string_view operation, const nlohmann::json& input) {
                     return s->ecr->call(operation, input);
                   },
                   s->region,
                   [s](std::string_view operation, const nlohmann::json& input) {
                     if (operation == "SendCommand")
                       return s->ssm->call_for_body_at_most_once(operation, input);
                     return s->ssm->call_for_body(operation, input);
                   }};
  }

 private:
  std::unique_ptr<Session> open(const AwsSettings& settings, const std::string& region) {
    auto session = std::make_unique<Session>();
    session->region = region;
    aws::EnvLookup env = env_;
    session->credentials = aws::make_default_credential_chain(aws::CredentialChainOptions{
        .http = http_,
        .processes = runner_,
        .clock = std::chrono::system_clock::now,
        .region = region,
        .env = env,
        .profile = settings.profile,
        .refresh_before = aws::kDefaultRefreshBefore,
        .assume_role = {},
    });
    auto endpoint = [&](const char* service, const char* target_prefix) {
      return aws::ServiceEndpoint{
          service, service, target_prefix, region,
          aws::endpoint_url_for(service, region, env, non_empty(settings.endpoint_url))};
    };
    // Bursts of up to one second's worth of requests, then the steady rate.
    const auto rate = settings.max_requests_per_second;
    session->budget = std::make_unique<RateLimiter>(
        rate, static_cast<std::size_t>(std::max(1.0, std::floor(rate))), clock_);
    session->budgeted_http = std::make_unique<RateLimitedHttpClient>(http_, *session->budget);
    auto& http = *session->budgeted_http;
    session->ssm = std::make_unique<aws::JsonProtocolClient>(
        endpoint("ssm", "AmazonSSM"), http, *session->credentials, clock_, random_);
    session->ec2 = std::make_unique<aws::QueryProtocolClient>(
        endpoint("ec2", ""), kEc2ApiVersion, http, *session->credentials, clock_, random_);
    session->ecr = std::make_unique<aws::JsonProtocolClient>(
        ecr_endpoint(endpoint("ecr", "AmazonEC2ContainerRegistry_V20150921")), http,
        *session->credentials, clock_, random_);
    return session;
  }

  EnvLookup env_;
  Clock& clock_;
  Random& random_;
  ProcessRunner& runner_;
  HttpClient& http_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Session>> sessions_;
};

}  // namespace

AwsConnect real_aws_connect(EnvLookup env, Clock& clock, Random& random, ProcessRunner& runner,
                            HttpClient& http) {
  auto connector = std::make_shared<Connector>(std::move(env), clock, random, runner, http);
  return [connector](const AwsSettings& settings) { return connector->connect(settings); };
}

}  // namespace drover::cli
