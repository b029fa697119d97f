#include "aws/credential_imds.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "aws/aws_error.h"
#include "aws/credential_json.h"
#include "aws/credential_profiles.h"

namespace drover::aws {
namespace {

constexpr const char* kDefaultEndpoint = "http://169.254.169.254";
constexpr const char* kCredentialsPath = "/latest/meta-data/iam/security-credentials/";
// Six hours, the longest IMDS allows: one token per fetch is plenty, the TTL only has to
// outlive the two GETs that follow.
constexpr const char* kTokenTtlSeconds = "21600";
constexpr std::chrono::seconds kTimeout{1};

std::string describe(const HttpResponse& response) {
  return response.transport_error.empty() ? "HTTP " + std::to_string(response.status)
                                          : response.transport_error;
}

HttpResponse get(HttpClient& http, const std::string& url, const std::string& token) {
  HttpRequest request;
  request.method = "GET";
  request.url = url;
  request.timeout = kTimeout;
  request.headers.emplace_back("X-aws-ec2-metadata-token", token);
  return http.send(request);
}

}  // namespace

std::optional<std::string> imds_endpoint_from_env(const EnvLookup& env) {
  if (auto disabled = env_value(env, "AWS_EC2_METADATA_DISABLED")) {
    std::string value = *disabled;
    std::transform(value.begin(), value.end(), value.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (value == "true") {
      return std::nullopt;
    }
  }
  std::string endpoint =
      env_value(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT").value_or(kDefaultEndpoint);
  while (!endpoint.empty() && endpoint.back() == '/') {
    endpoint.pop_back();
  }
  return endpoint;
}

Credentials fetch_imds_credentials(HttpClient& http, const std::string& endpoint) {
  HttpRequest token_request;
  token_request.method = "PUT";
  token_request.url = endpoint + "/latest/api/token";
  token_request.timeout = kTimeout;
  token_request.headers.emplace_back("X-aws-ec2-metadata-token-ttl-seconds", kTokenTtlSeconds);
  const auto token_response = http.send(token_request);
  if (token_response.status != 200 || token_response.body.empty()) {
    throw AwsError("ImdsUnavailable",
                   "instance metadata at " + endpoint + " gave no IMDSv2 token (" +
                       describe(token_response) + ")",
                   token_response.status);
  }
  const std::string& token = token_response.body;

  const auto role_response = get(http, endpoint + kCredentialsPath, token);
  if (role_response.status == 404) {
    throw AwsError("ImdsNoRole",
                   "instance metadata at " + endpoint +
                       " lists no instance role (attach an IAM "
                       "instance profile to this instance)",
                   404);
  }
  if (role_response.status != 200) {
    throw AwsError("ImdsCredentials",
                   "instance metadata at " + endpoint + " did not list the instance role (" +
                       describe(role_response) + ")",
                   role_response.status);
  }
  // One role per instance profile; the list is newline-separated all the same.
  std::string role = role_response.body.substr(0, role_response.body.find('\n'));
  while (!role.empty() && (role.back() == '\r' || role.back() == ' ')) {
    role.pop_back();
  }
  const bool role_is_safe =
      !role.empty() && std::all_of(role.begin(), role.end(), [](unsigned char c) {
        return std::isalnum(c) ||
               std::string_view("+=,.@_-").find(static_cast<char>(c)) != std::string_view::npos;
      });
  if (!role_is_safe) {
    throw AwsError("ImdsNoRole",
                   "instance metadata at " + endpoint + " returned no usable instance role name");
  }

  const std::string source = "EC2 instance role " + role;
  const auto credentials_response = get(http, endpoint + kCredentialsPath + role, token);
  if (credentials_response.status != 200) {
    throw AwsError("ImdsCredentials",
                   source + ": instance metadata did not return its credentials (" +
                       describe(credentials_response) + ")",
                   credentials_response.status);
  }
  const auto body = nlohmann::json::parse(credentials_response.body, nullptr, false);
  if (body.is_object()) {
    auto code = body.find("Code");
    if (code != body.end() && code->is_string() && code->get<std::string>() != "Success") {
      throw AwsError("ImdsCredentials",
                     source + ": instance metadata reports Code " + code->get<std::string>());
    }
  }
  return credentials_from_json(credentials_response.body, {"Token", true}, source,
                               "ImdsCredentials");
}

}  // namespace drover::aws
