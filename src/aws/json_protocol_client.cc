#include "aws/json_protocol_client.h"

#include <algorithm>
#include <cctype>

#include "aws/sigv4.h"

namespace drover::aws {
namespace {

constexpr std::size_t kMaxBodyInMessage = 300;

std::optional<std::string> non_empty(const EnvLookup& env, const std::string& name) {
  std::optional<std::string> value = env(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The request URL needs a path; an endpoint URL is usually just scheme://host[:port].
std::string url_with_path(const std::string& endpoint_url) {
  const auto scheme_end = endpoint_url.find("://");
  const auto path_start =
      endpoint_url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  return path_start == std::string::npos ? endpoint_url + "/" : endpoint_url;
}

// AWS echoes the canonical request in some errors (SignatureDoesNotMatch), and that includes
// the x-amz-security-token value; no error drover shows may carry a secret, whatever its source.
std::string redact(std::string text, const Credentials& credentials) {
  for (const std::string* secret : {&credentials.secret_access_key, &credentials.session_token}) {
    if (secret->empty()) continue;
    for (auto at = text.find(*secret); at != std::string::npos; at = text.find(*secret, at)) {
      text.replace(at, secret->size(), "<redacted>");
    }
  }
  return text;
}

std::string body_excerpt(std::string_view body) {
  std::string out(body.substr(0, kMaxBodyInMessage));
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  if (body.size() > kMaxBodyInMessage) out += "...";
  return out;
}

std::optional<std::string> string_member(const nlohmann::json& object,
                                         std::initializer_list<const char*> names) {
  if (!object.is_object()) return std::nullopt;
  for (const char* name : names) {
    const auto it = object.find(name);
    if (it != object.end() && it->is_string() && !it->get<std::string>().empty()) {
      return it->get<std::string>();
    }
  }
  return std::nullopt;
}

// "com.amazonaws.ssm#InvalidInstanceId" -> InvalidInstanceId; "Code:http://..." -> Code.
std::string bare_error_code(std::string code) {
  if (const auto hash = code.rfind('#'); hash != std::string::npos) code.erase(0, hash + 1);
  if (const auto colon = code.find(':'); colon != std::string::npos) code.erase(colon);
  return code;
}

}  // namespace

std::string service_endpoint_variable(std::string_view service) {
  std::string name = "AWS_ENDPOINT_URL_";
  for (char c : service) {
    name += (c == ' ' || c == '-') ? '_'
                                   : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

std::string endpoint_url_for(std::string_view service, std::string_view region,
                             const EnvLookup& env, const std::optional<std::string>& explicit_url) {
  if (explicit_url && !explicit_url->empty()) return without_trailing_slash(*explicit_url);
  const std::optional<std::string> ignore = non_empty(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
  if (!ignore || ascii_lower(*ignore) != "true") {
    if (auto url = non_empty(env, service_endpoint_variable(service))) {
      return without_trailing_slash(*url);
    }
    if (auto url = non_empty(env, "AWS_ENDPOINT_URL")) return without_trailing_slash(*url);
  }
  const bool china = region.rfind("cn-", 0) == 0;
  return "https://" + ascii_lower(service) + "." + std::string(region) +
         (china ? ".amazonaws.com.cn" : ".amazonaws.com");
}

HttpResponse post_signed_with_retries(
    const ServiceEndpoint& endpoint, HttpClient& http, CredentialsProvider& credentials,
    Clock& clock, Random& random, const RetryPolicy& retry_policy, const WallClock& wall_clock,
    const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body,
    const std::function<AwsError(const HttpResponse&)>& error_for) {
  return call_with_retries(retry_policy, clock, random, [&](int) {
    // Fetched per attempt: a long retry sequence may outlive expiring credentials.
    const Credentials current = credentials.get();
    HttpRequest request;
    request.method = "POST";
    request.url = url_with_path(endpoint.url);
    request.headers = headers;
    request.body = body;
    sigv4::sign(request, current, {endpoint.region, endpoint.signing_name, wall_clock()});
    const HttpResponse response = http.send(request);
    if (response.failure == HttpFailure::out_of_resources) {
      throw AwsError(std::string(kClientOutOfResources), response.transport_error);
    }
    if (!response.transport_error.empty()) {
      throw AwsError(std::string(kEndpointUnreachable),
                     redact("no answer from " + endpoint.service + " at " + endpoint.url + ": " +
                                response.transport_error,
                            current));
    }
    if (response.status < 200 || response.status > 299) {
      const AwsError error = error_for(response);
      throw AwsError(error.code(), redact(error.message(), current), error.http_status());
    }
    return response;
  });
}

AwsError json_protocol_error(const HttpResponse& response) {
  const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  std::optional<std::string> code = string_member(body, {"__type", "code"});
  if (!code) {
    for (const auto& [name, value] : response.headers) {
      if (name == "x-amzn-errortype" && !value.empty()) code = value;
    }
  }
  std::optional<std::string> message = string_member(body, {"message", "Message", "errorMessage"});
  if (!message) {
    message = response.body.empty() || !body.is_discarded()
                  ? "HTTP " + std::to_string(response.status) + " without an error message"
                  : "HTTP " + std::to_string(response.status) + ": " + body_excerpt(response.body);
  }
  return AwsError(code ? bare_error_code(*code) : "HttpStatus" + std::to_string(response.status),
                  *message, response.status);
}

JsonProtocolClient::JsonProtocolClient(ServiceEndpoint endpoint, HttpClient& http,
                                       CredentialsProvider& credentials, Clock& clock,
                                       Random& random, RetryPolicy retry_policy,
                                       WallClock wall_clock)
    : endpoint_(std::move(endpoint)),
      http_(http),
      credentials_(credentials),
      clock_(clock),
      random_(random),
      retry_policy_(retry_policy),
      wall_clock_(std::move(wall_clock)) {}

nlohmann::json JsonProtocolClient::call(std::string_view operation, const nlohmann::json& input) {
  return call_with(retry_policy_, operation, input);
}

RetryPolicy JsonProtocolClient::at_most_once() const {
  RetryPolicy once = retry_policy_;
  once.retry_unanswered = false;
  return once;
}

nlohmann::json JsonProtocolClient::call_at_most_once(std::string_view operation,
                                                     const nlohmann::json& input) {
  return call_with(at_most_once(), operation, input);
}

std::string JsonProtocolClient::call_for_body(std::string_view operation,
                                              const nlohmann::json& input) {
  return body_with(retry_policy_, operation, input);
}

std::string JsonProtocolClient::call_for_body_at_most_once(std::string_view operation,
                                                           const nlohmann::json& input) {
  return body_with(at_most_once(), operation, input);
}

std::string JsonProtocolClient::body_with(const RetryPolicy& policy, std::string_view operation,
                                          const nlohmann::json& input) {
  HttpResponse response = post(policy, operation, input);
  return response.body.empty() ? std::string("{}") : std::move(response.body);
}

HttpResponse JsonProtocolClient::post(const RetryPolicy& policy, std::string_view operation,
                                      const nlohmann::json& input) {
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"Content-Type", "application/x-amz-json-1.1"},
      {"X-Amz-Target", endpoint_.target_prefix + "." + std::string(operation)},
  };
  const std::string body = input.is_null() ? "{}" : input.dump();
  return post_signed_with_retries(endpoint_, http_, credentials_, clock_, random_, policy,
                                  wall_clock_, headers, body, json_protocol_error);
}

nlohmann::json JsonProtocolClient::call_with(const RetryPolicy& policy, std::string_view operation,
                                             const nlohmann::json& input) {
  const HttpResponse response = post(policy, operation, input);
  if (response.body.empty()) return nlohmann::json::object();
  nlohmann::json output = nlohmann::json::parse(response.body, nullptr, false);
  if (output.is_discarded()) {
    throw AwsError("InvalidResponse",
                   std::string(operation) + " answer from " + endpoint_.service +
                       " is not JSON: " + body_excerpt(response.body),
                   response.status);
  }
  return output;
}

}  // namespace drover::aws
