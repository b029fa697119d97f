#include "aws/credential_container.h"

#include <array>
#include <nlohmann/json.hpp>
#include <optional>

#include "aws/aws_error.h"
#include "aws/credential_json.h"
#include "aws/credential_profiles.h"
#include "util/bounded_read.h"

namespace drover::aws {
namespace {

constexpr const char* kCode = "ContainerCredentials";
constexpr std::size_t kMaxTokenBytes = std::size_t{64} << 10;  // a token is one short line
constexpr const char* kEcsBase = "http://169.254.170.2";
// The ECS agent answers in milliseconds; a longer wait means it is not there.
constexpr std::chrono::seconds kTimeout{2};

// The host part of an http(s) URL, brackets kept for IPv6 ("[::1]"); "" when unparseable.
std::string url_host(const std::string& url, std::size_t scheme_length) {
  std::string rest = url.substr(scheme_length);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = rest.rfind('@'); at != std::string::npos) {
    rest = rest.substr(at + 1);
  }
  if (!rest.empty() && rest.front() == '[') {
    auto close = rest.find(']');
    return close == std::string::npos ? "" : rest.substr(0, close + 1);
  }
  return rest.substr(0, rest.find(':'));
}

bool allowed_plain_http_host(const std::string& host) {
  static const std::array<const char*, 5> kAllowed = {"localhost", "[::1]", "169.254.170.2",
                                                      "169.254.170.23", "[fd00:ec2::23]"};
  for (const char* allowed : kAllowed) {
    if (host == allowed) {
      return true;
    }
  }
  // All of 127.0.0.0/8 is loopback, but only as an address: 127.0.0.1.evil.example is a name.
  if (host.rfind("127.", 0) != 0) {
    return false;
  }
  int dots = 0;
  for (char c : host) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

std::string read_token_file(const std::string& path) {
  std::optional<std::string> text;
  try {
    text = read_file_at_most(path, kMaxTokenBytes);
  } catch (const FileReadError& e) {
    throw AwsError(
        kCode, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + e.file().string() + " " + e.problem());
  }
  if (!text) {
    throw AwsError(kCode, "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + path);
  }
  std::string token = std::move(*text);
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) {
    token.pop_back();
  }
  return token;
}

}  // namespace

std::optional<ContainerEndpoint> container_endpoint_from_env(const EnvLookup& env) {
  ContainerEndpoint endpoint;
  if (auto relative = env_value(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
    endpoint.url = kEcsBase + (relative->front() == '/' ? *relative : "/" + *relative);
  } else if (auto full = env_value(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
    if (full->rfind("https://", 0) == 0) {
      endpoint.url = *full;
    } else if (full->rfind("http://", 0) == 0) {
      const auto host = url_host(*full, 7);
      if (!allowed_plain_http_host(host)) {
        throw AwsError(kCode, "AWS_CONTAINER_CREDENTIALS_FULL_URI " + *full + " is plain http to " +
                                  (host.empty() ? "no host" : host) +
                                  "; it must be https, or http to a loopback address or the "
                                  "ECS/EKS credential agent (169.254.170.2, 169.254.170.23)");
      }
      endpoint.url = *full;
    } else {
      throw AwsError(kCode,
                     "AWS_CONTAINER_CREDENTIALS_FULL_URI " + *full + " is not an http(s) URL");
    }
  } else {
    return std::nullopt;
  }
  endpoint.token_file = env_value(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
  endpoint.token = env_value(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
  return endpoint;
}

Credentials fetch_container_credentials(HttpClient& http, const ContainerEndpoint& endpoint) {
  const std::string where = "container credentials endpoint " + endpoint.url;
  HttpRequest request;
  request.method = "GET";
  request.url = endpoint.url;
  request.timeout = kTimeout;
  request.headers.emplace_back("Accept", "application/json");
  std::optional<std::string> token =
      endpoint.token_file ? std::optional(read_token_file(*endpoint.token_file)) : endpoint.token;
  if (token) {
    if (token->find_first_of("\r\n") != std::string::npos) {
      throw AwsError(kCode, "the container authorization token contains a line break");
    }
    request.headers.emplace_back("Authorization", *token);
  }
  const auto response = http.send(request);
  if (!response.transport_error.empty()) {
    throw AwsError(kCode, where + " did not answer: " + response.transport_error);
  }
  if (response.status != 200) {
    std::string detail;
    const auto body = nlohmann::json::parse(response.body, nullptr, false);
    if (body.is_object()) {
      for (const char* field : {"code", "message"}) {
        if (auto it = body.find(field); it != body.end() && it->is_string()) {
          detail += (detail.empty() ? " (" : ": ") + it->get<std::string>();
        }
      }
      if (!detail.empty()) {
        detail += ")";
      }
    }
    throw AwsError(kCode, where + " answered HTTP " + std::to_string(response.status) + detail,
                   response.status);
  }
  return credentials_from_json(response.body, {"Token", true}, "container credentials", kCode);
}

}  // namespace drover::aws
