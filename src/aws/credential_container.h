#pragma once
// Container credentials (ECS task roles, EKS Pod Identity): a GET to a local endpoint that
// the platform names in the environment:
//   AWS_CONTAINER_CREDENTIALS_RELATIVE_URI  path under http://169.254.170.2 (ECS), else
//   AWS_CONTAINER_CREDENTIALS_FULL_URI      a whole URL: https anywhere, plain http only to
//                                           loopback or the ECS/EKS agent addresses
//   AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE  Authorization header value, read at every fetch
//                                           (EKS rotates it), else
//   AWS_CONTAINER_AUTHORIZATION_TOKEN       the Authorization header value itself.
#include <optional>
#include <string>

#include "aws/credentials.h"
#include "util/http/http_client.h"

namespace drover::aws {

struct ContainerEndpoint {
  std::string url;
  std::optional<std::string> token_file;
  std::optional<std::string> token;
};

/// nullopt when neither URI variable is set. Throws AwsError("ContainerCredentials") when
/// FULL_URI is plain http to a host that is not allowed (credentials would cross a network
/// in clear text) or is not an http(s) URL.
std::optional<ContainerEndpoint> container_endpoint_from_env(const EnvLookup& env);

/// One GET. Throws AwsError("ContainerCredentials") naming the URL and the status or transport
/// error (the endpoint's own "code"/"message" when it sent them), never the token.
Credentials fetch_container_credentials(HttpClient& http, const ContainerEndpoint& endpoint);

}  // namespace drover::aws
