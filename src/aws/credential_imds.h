#pragma once
// The EC2 instance role through the instance metadata service, IMDSv2 only (session tokens,
// so a server-side request forgery cannot read the role's credentials with one plain GET):
//   PUT  /latest/api/token                              X-aws-ec2-metadata-token-ttl-seconds
//   GET  /latest/meta-data/iam/security-credentials/    X-aws-ec2-metadata-token -> role name
//   GET  /latest/meta-data/iam/security-credentials/ROLE                        -> JSON
// Endpoint http://169.254.169.254 unless AWS_EC2_METADATA_SERVICE_ENDPOINT says otherwise;
// AWS_EC2_METADATA_DISABLED=true turns the source off. Timeouts are one second so that a
// machine that is not on EC2 moves on at once.
#include <optional>
#include <string>

#include "aws/credentials.h"
#include "util/http/http_client.h"

namespace drover::aws {

/// The endpoint (no trailing slash), or nullopt when AWS_EC2_METADATA_DISABLED is "true"
/// (any case).
std::optional<std::string> imds_endpoint_from_env(const EnvLookup& env);

/// Fetches the instance role's credentials. Throws AwsError with code
///   "ImdsUnavailable"  the token PUT got no answer or a refusal (not on EC2, or IMDS off),
///   "ImdsNoRole"       IMDS answered but no instance profile is attached,
///   "ImdsCredentials"  anything after that (a role whose credentials cannot be read).
Credentials fetch_imds_credentials(HttpClient& http, const std::string& endpoint);

}  // namespace drover::aws
