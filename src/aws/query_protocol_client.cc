#include "aws/query_protocol_client.h"

#include <algorithm>

#include "aws/sigv4.h"
#include "util/percent_encoding.h"

namespace drover::aws {
namespace {

constexpr std::size_t kMaxBodyInMessage = 300;

std::string body_excerpt(std::string_view body) {
  std::string out(body.substr(0, kMaxBodyInMessage));
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  if (body.size() > kMaxBodyInMessage) out += "...";
  return out;
}

}  // namespace

std::string form_encode(const QueryParameters& parameters) {
  std::string out;
  for (const auto& [name, value] : parameters) {
    if (!out.empty()) out += '&';
    out += percent_encode(name);
    out += '=';
    out += percent_encode(value);
  }
  return out;
}

AwsError query_protocol_error(const HttpResponse& response) {
  pugi::xml_document document;
  const bool parsed = document.load_buffer(response.body.data(), response.body.size());
  // pugixml compares element names literally and the default namespace adds no prefix, so this
  // finds the Error element of both the STS and the EC2 layout.
  const pugi::xml_node error =
      parsed ? document.select_node("//Error[Code]").node() : pugi::xml_node();
  if (error) {
    std::string message = error.child_value("Message");
    if (message.empty()) message = "HTTP " + std::to_string(response.status) + " without a message";
    return AwsError(error.child_value("Code"), std::move(message), response.status);
  }
  std::string message = "HTTP " + std::to_string(response.status);
  message +=
      response.body.empty() ? " without an error message" : ": " + body_excerpt(response.body);
  return AwsError("HttpStatus" + std::to_string(response.status), std::move(message),
                  response.status);
}

QueryProtocolClient::QueryProtocolClient(ServiceEndpoint endpoint, std::string api_version,
                                         HttpClient& http, CredentialsProvider& credentials,
                                         Clock& clock, Random& random, RetryPolicy retry_policy,
                                         WallClock wall_clock)
    : endpoint_(std::move(endpoint)),
      api_version_(std::move(api_version)),
      http_(http),
      credentials_(credentials),
      clock_(clock),
      random_(random),
      retry_policy_(retry_policy),
      wall_clock_(std::move(wall_clock)) {}

pugi::xml_document QueryProtocolClient::call(std::string_view action,
                                             const QueryParameters& parameters) {
  QueryParameters all = {{"Action", std::string(action)}, {"Version", api_version_}};
  all.insert(all.end(), parameters.begin(), parameters.end());
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
  };
  const HttpResponse response =
      post_signed_with_retries(endpoint_, http_, credentials_, clock_, random_, retry_policy_,
                               wall_clock_, headers, form_encode(all), query_protocol_error);
  pugi::xml_document document;
  const pugi::xml_parse_result result =
      document.load_buffer(response.body.data(), response.body.size());
  if (!result || !document.document_element()) {
    throw AwsError("InvalidResponse",
                   std::string(action) + " answer from " + endpoint_.service +
                       " is not XML: " + body_excerpt(response.body),
                   response.status);
  }
  return document;
}

}  // namespace drover::aws
