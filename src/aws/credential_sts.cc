#include "aws/credential_sts.h"

#include <cctype>

#include "aws/aws_error.h"
#include "aws/credential_json.h"
#include "aws/credential_profiles.h"
#include "aws/json_protocol_client.h"

namespace drover::aws {
namespace {

constexpr std::chrono::seconds kTimeout{30};

std::string percent_encode(const std::string& raw) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : raw) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string decode_entities(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    const auto semicolon = text.find(';', i);
    if (semicolon == std::string::npos) {
      out += text[i];
      continue;
    }
    const std::string entity = text.substr(i + 1, semicolon - i - 1);
    if (entity == "amp") {
      out += '&';
    } else if (entity == "lt") {
      out += '<';
    } else if (entity == "gt") {
      out += '>';
    } else if (entity == "quot") {
      out += '"';
    } else if (entity == "apos") {
      out += '\'';
    } else if (entity.size() > 1 && entity[0] == '#') {
      const bool hex = entity[1] == 'x' || entity[1] == 'X';
      const unsigned long code = std::stoul(entity.substr(hex ? 2 : 1), nullptr, hex ? 16 : 10);
      if (code < 0x80) {
        out += static_cast<char>(code);
      } else {
        out += '?';  // STS values are ASCII; anything else is only for messages
      }
    } else {
      out += text[i];
      continue;
    }
    i = semicolon;
  }
  return out;
}

}  // namespace

std::optional<std::string> xml_element_text(const std::string& xml, const std::string& name) {
  const std::string open = "<" + name + ">";
  const std::string close = "</" + name + ">";
  const auto start = xml.find(open);
  if (start == std::string::npos) {
    return std::nullopt;
  }
  const auto end = xml.find(close, start + open.size());
  if (end == std::string::npos) {
    return std::nullopt;
  }
  try {
    return decode_entities(xml.substr(start + open.size(), end - start - open.size()));
  } catch (const std::exception&) {
    return std::nullopt;  // a malformed &#...; reference
  }
}

std::string sts_endpoint(const EnvLookup& env, const std::string& region) {
  // The same override rules as every other service drover calls.
  return endpoint_url_for("sts", region, env);
}

std::string assume_role_body(const AssumeRoleRequest& request) {
  std::string body =
      "Action=AssumeRole&Version=2011-06-15&RoleArn=" + percent_encode(request.role_arn) +
      "&RoleSessionName=" + percent_encode(request.session_name);
  if (request.external_id) {
    body += "&ExternalId=" + percent_encode(*request.external_id);
  }
  if (request.duration_seconds) {
    body += "&DurationSeconds=" + std::to_string(*request.duration_seconds);
  }
  return body;
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
