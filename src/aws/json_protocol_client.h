#pragma once
// The AWS JSON 1.1 protocol (SSM and most newer services): every operation is a signed POST of
// a JSON document to "/", named by the X-Amz-Target header. Also where a service's endpoint URL
// comes from, shared with the Query protocol client.
#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/credentials.h"
#include "aws/retry_policy.h"
#include "util/clock.h"
#include "util/http/http_client.h"
#include "util/random.h"

namespace drover::aws {

/// Where and how one AWS service is called.
struct ServiceEndpoint {
  std::string service;        // the service id for endpoint settings: "ssm", "sts", "ec2"
  std::string signing_name;   // SigV4 service name: "ssm"
  std::string target_prefix;  // JSON protocol X-Amz-Target prefix: "AmazonSSM" (unused by Query)
  std::string region;         // "eu-west-1"
  std::string url;            // "https://ssm.eu-west-1.amazonaws.com" (a path is kept)
};

/// Reads one environment variable; nullopt when unset. Injected so resolution is testable.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

/// The environment variable holding `service`'s own endpoint: AWS_ENDPOINT_URL_ followed by the
/// service id upper-cased, spaces (and dashes) as underscores: "ssm" -> AWS_ENDPOINT_URL_SSM.
std::string service_endpoint_variable(std::string_view service);

/// The endpoint URL for `service` in `region`, first found of:
///  1. `explicit_url`: drover's own setting, like the AWS CLI's --endpoint-url, always wins;
///  2. AWS_ENDPOINT_URL_<SERVICE>, then 3. AWS_ENDPOINT_URL, both skipped when
///     AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is "true" (as the AWS SDKs do);
///  4. https://<service>.<region>.amazonaws.com (.amazonaws.com.cn in the cn- regions).
/// Empty values count as unset. A trailing '/' is removed.
std::string endpoint_url_for(std::string_view service, std::string_view region,
                             const EnvLookup& env,
                             const std::optional<std::string>& explicit_url = std::nullopt);

/// The wall-clock time requests are signed with (the drover::Clock is monotonic time).
using WallClock = std::function<std::chrono::system_clock::time_point()>;

class JsonProtocolClient {
 public:
  /// The references must outlive the client. Safe to share between threads when the
  /// HttpClient, CredentialsProvider, Clock and Random are.
  JsonProtocolClient(ServiceEndpoint endpoint, HttpClient& http, CredentialsProvider& credentials,
                     Clock& clock, Random& random, RetryPolicy retry_policy = {},
                     WallClock wall_clock = std::chrono::system_clock::now);

  /// Calls `operation` ("SendCommand") with `input` and returns the parsed output ({} for an
  /// empty body). Credentials are fetched and the request signed anew for every attempt;
  /// throttling, 500/502/503/504 and unreachable endpoints are retried per the policy. Throws
  /// AwsError: the service's code and message; "EndpointUnreachable" when no answer came;
  /// "InvalidResponse" for an answer that is not JSON; whatever the credentials provider threw.
  nlohmann::json call(std::string_view operation, const nlohmann::json& input);

  /// As call(), for an operation that is not idempotent (SendCommand): throttling is retried,
  /// but a request that got no answer, or a 5xx, is thrown at once, since AWS may have acted on
  /// it; the caller finds out whether it did before sending it again.
  nlohmann::json call_at_most_once(std::string_view operation, const nlohmann::json& input);

  /// As call(), but the answer's body as it came ("{}" for an empty one), not parsed: for the
  /// large pages a caller reads with a streaming parser, keeping only the members it uses.
  std::string call_for_body(std::string_view operation, const nlohmann::json& input);

  /// call_for_body() with call_at_most_once()'s retries: for SendCommand, whose answer echoes
  /// the whole command and is read with a streaming parser too.
  std::string call_for_body_at_most_once(std::string_view operation, const nlohmann::json& input);

  const ServiceEndpoint& endpoint() const { return endpoint_; }

 private:
  nlohmann::json call_with(const RetryPolicy& policy, std::string_view operation,
                           const nlohmann::json& input);
  HttpResponse post(const RetryPolicy& policy, std::string_view operation,
                    const nlohmann::json& input);
  std::string body_with(const RetryPolicy& policy, std::string_view operation,
                        const nlohmann::json& input);
  RetryPolicy at_most_once() const;

  ServiceEndpoint endpoint_;
  HttpClient& http_;
  CredentialsProvider& credentials_;
  Clock& clock_;
  Random& random_;
  RetryPolicy retry_policy_;
  WallClock wall_clock_;
};

/// One AWS call as both protocol clients make it: POST `body` with `headers` (Host and the
/// signature are added) to the endpoint URL, signed for the endpoint's region and signing name
/// with fresh credentials each attempt, retried per `retry_policy`. A transport error becomes
/// AwsError "EndpointUnreachable"; an answer outside 200-299 becomes `error_for(response)`.
/// Returns the successful answer.
HttpResponse post_signed_with_retries(
    const ServiceEndpoint& endpoint, HttpClient& http, CredentialsProvider& credentials,
    Clock& clock, Random& random, const RetryPolicy& retry_policy, const WallClock& wall_clock,
    const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body,
    const std::function<AwsError(const HttpResponse&)>& error_for);

/// The AwsError for a JSON-protocol error answer: the code from "__type" (the part after '#',
/// e.g. "com.amazonaws.ssm#InvalidInstanceId"), else from the x-amzn-errortype header (the
/// part before ':'); the message from "message" or "Message". A body that is not JSON gives the
/// code "HttpStatus<status>" and the start of the body as the message.
AwsError json_protocol_error(const HttpResponse& response);

}  // namespace drover::aws
