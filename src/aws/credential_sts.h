#pragma once
// STS AssumeRole, for profiles with role_arn: one AWS Query protocol call (form-encoded POST,
// XML answer) signed with the source profile's credentials. It is built on HttpClient and a
// signing function rather than a full protocol client because the credential chain needs only
// this one call, and the chain must not depend on the client that depends on it.
#include <functional>
#include <optional>
#include <string>

#include "aws/credentials.h"
#include "util/http/http_client.h"

namespace drover::aws {

struct AssumeRoleRequest {
  std::string role_arn;
  std::string session_name;  // "drover-<unix time>" unless the profile sets role_session_name
  std::optional<std::string> external_id;
  std::optional<int> duration_seconds;
  std::string region;    // signing region
  std::string endpoint;  // https://sts.<region>.amazonaws.com, or an override
  std::string profile;   // for messages: the profile whose role this is
};

/// Signs an HTTP request in place for `region` and `service` with `credentials` (SigV4).
using RequestSigner = std::function<void(HttpRequest& request, const Credentials& credentials,
                                         const std::string& region, const std::string& service)>;

/// Performs the AssumeRole call; the chain's default is sts_assume_role over HttpClient, and
/// a caller may route it through another client instead.
using AssumeRoleFunction =
    std::function<Credentials(const AssumeRoleRequest& request, const Credentials& source)>;

/// AWS_ENDPOINT_URL_STS, else AWS_ENDPOINT_URL, else https://sts.<region>.amazonaws.com
/// (no trailing slash): endpoint_url_for("sts", ...) of json_protocol_client.h.
std::string sts_endpoint(const EnvLookup& env, const std::string& region);

/// The form body: Action=AssumeRole&Version=2011-06-15&RoleArn=...&RoleSessionName=...
/// [&ExternalId=...][&DurationSeconds=...], values percent-encoded.
std::string assume_role_body(const AssumeRoleRequest& request);

/// POSTs the call and parses the answer. Throws AwsError with STS's own code and message
/// (AccessDenied, ...) when STS refuses, "EndpointUnreachable" when it cannot be reached,
/// and "InvalidResponse" when the answer has no credentials. Messages name the profile and
/// the role, never a secret.
Credentials sts_assume_role(HttpClient& http, const RequestSigner& sign,
                            const AssumeRoleRequest& request, const Credentials& source);

/// The text of the first <name>...</name> element in `xml` (parsed with pugixml); nullopt when
/// absent or when `xml` is not XML.
std::optional<std::string> xml_element_text(const std::string& xml, const std::string& name);

}  // namespace drover::aws
