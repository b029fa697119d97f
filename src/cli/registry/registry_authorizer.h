#pragma once
// Answers a registry's 401 the way `docker pull` does, for drover's own registry requests
// (the digest lookup): Basic with the credentials found for the registry; Bearer through the
// token flow of the distribution spec — GET <realm>?service=…&scope=repository:<path>:pull,
// with Basic credentials when there are any (anonymous otherwise: public images on Docker Hub,
// GHCR and ECR Public need a token too), or POST grant_type=refresh_token with an identity
// token — and the token as `Authorization: Bearer`. Credentials are fetched only when a
// registry asks (a helper may be slow, or call AWS).
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "cli/registry/registry_challenge.h"
#include "core/image_reference.h"
#include "registry/registry_credentials.h"
#include "util/http/http_client.h"

namespace drover::cli {

/// The operator's credentials for an image's registry; nullopt when none are configured.
/// Throws registry::RegistryAuthError or core::InputError when looking fails.
using RegistryCredentialsSource =
    std::function<std::optional<registry::RegistryCredentials>(const core::ImageReference&)>;

/// No credentials anywhere: anonymous requests only.
std::optional<registry::RegistryCredentials> no_registry_credentials(const core::ImageReference&);

class RegistryAuthorizer {
 public:
  RegistryAuthorizer(HttpClient& http, RegistryCredentialsSource credentials,
                     std::chrono::milliseconds timeout);

  /// The Authorization header value that answers `challenge` for `image`'s repository.
  /// Throws core::InputError("image …") naming the registry and what to configure when the
  /// registry wants credentials there are none of, or refuses the ones there are.
  std::string authorization(const core::ImageReference& image, const RegistryChallenge& challenge);

  /// Whether credentials were found when the last authorization was made, and where from.
  const std::optional<registry::RegistryCredentials>& credentials() const { return credentials_; }

 private:
  const std::optional<registry::RegistryCredentials>& credentials_for(
      const core::ImageReference& image);
  std::string bearer_token(const core::ImageReference& image, const RegistryChallenge& challenge);

  HttpClient& http_;
  RegistryCredentialsSource source_;
  std::chrono::milliseconds timeout_;
  bool looked_up_ = false;
  std::optional<registry::RegistryCredentials> credentials_;
};

/// The one line for a registry that refused drover (HTTP 401 after authenticating, or no
/// credentials to authenticate with): names the registry, where the credentials came from,
/// and what to configure.
[[noreturn]] void refuse_registry_credentials(
    const core::ImageReference& image,
    const std::optional<registry::RegistryCredentials>& credentials);

}  // namespace drover::cli
