#pragma once
// Credentials for one container registry, as the Docker client config or a credential helper
// hands them over, and the one error type of finding them. Secrets: `password` and
// `identity_token` are never put into a message, a report, a journal or a log; messages name
// the registry and `source` only.
#include <stdexcept>
#include <string>

namespace drover::registry {

struct RegistryCredentials {
  std::string username;
  std::string password;        // a password or an access token (ECR's, GHCR's PAT)
  std::string identity_token;  // an OAuth2 refresh token ("<token>" as the helper's user name)
  /// Where they came from, for messages only: "auths in /root/.docker/config.json",
  /// "docker-credential-ecr-login", "ECR GetAuthorizationToken".
  std::string source;

  bool empty() const { return username.empty() && password.empty() && identity_token.empty(); }
};

/// Finding credentials failed (a config that is not JSON, a helper that crashed). The message
/// names the file or the helper and never carries a secret.
class RegistryAuthError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace drover::registry
