#include "aws/credential_sts.h"

#include <pugixml.hpp>

#include "aws/aws_error.h"
#include "aws/credential_json.h"
#include "aws/credential_profiles.h"
#include "aws/json_protocol_client.h"
#include "aws/query_protocol_client.h"

namespace drover::aws {
namespace {

constexpr std::chrono::seconds kTimeout{30};

}  // namespace

std::optional<std::string> xml_element_text(const std::string& xml, const std::string& name) {
  pugi::xml_document document;
  if (!document.load_buffer(xml.data(), xml.size())) return std::nullopt;
  const auto node = document.find_node([&name](const pugi::xml_node& candidate) {
    return candidate.type() == pugi::node_element && name == candidate.name();
  });
  if (!node) return std::nullopt;
  return std::string(node.text().get());
}

std::string sts_endpoint(const EnvLookup& env, const std::string& region) {
  // The same override rules as every other service drover calls.
  return endpoint_url_for("sts", region, env);
}

std::string assume_role_body(const AssumeRoleRequest& request) {
  QueryParameters parameters{{"Action", "AssumeRole"},
                             {"Version", "2011-06-15"},
                             {"RoleArn", request.role_arn},
                             {"RoleSessionName", request.session_name}};
  if (request.external_id) parameters.emplace_back("ExternalId", *request.external_id);
  if (request.duration_seconds) {
    parameters.emplace_back("DurationSeconds", std::to_string(*request.duration_seconds));
  }
  return form_encode(parameters);
}

Credentials sts_assume_role(HttpClient& http, const RequestSigner& sign,
                            const AssumeRoleRequest& request, const Credentials& source) {
  const std::string what = "profile " + request.profile + ": assuming " + request.role_arn +
                           " (with credentials from " + source.source + ")";
  HttpRequest http_request;
  http_request.method = "POST";
  http_request.url = request.endpoint + "/";
  http_request.timeout = kTimeout;
  http_request.headers.emplace_back("Content-Type",
                                    "application/x-www-form-urlencoded; charset=utf-8");
  http_request.body = assume_role_body(request);
  sign(http_request, source, request.region, "sts");
  const auto response = http.send(http_request);
  if (!response.transport_error.empty()) {
    throw AwsError("EndpointUnreachable", what + ": STS at " + request.endpoint +
                                              " did not answer: " + response.transport_error);
  }
  if (response.status != 200) {
    const auto code = xml_element_text(response.body, "Code");
    const auto message = xml_element_text(response.body, "Message");
    throw AwsError(code.value_or("AssumeRoleFailed"),
                   what + " failed: " +
                       message.value_or("STS answered HTTP " + std::to_string(response.status)),
                   response.status);
  }
  Credentials credentials;
  credentials.access_key_id = xml_element_text(response.body, "AccessKeyId").value_or("");
  credentials.secret_access_key = xml_element_text(response.body, "SecretAccessKey").value_or("");
  credentials.session_token = xml_element_text(response.body, "SessionToken").value_or("");
  const auto expiration = xml_element_text(response.body, "Expiration");
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty() ||
      credentials.session_token.empty() || !expiration) {
    throw AwsError("InvalidResponse", what + ": STS answered without complete credentials", 200);
  }
  credentials.expiration = parse_iso8601(*expiration);
  if (!credentials.expiration) {
    throw AwsError("InvalidResponse", what + ": STS answered an Expiration that is not a time",
                   200);
  }
  credentials.source = "profile " + request.profile + " (role " + request.role_arn + ")";
  return credentials;
}

}  // namespace drover::aws
