#pragma once
// Which credentials the docker CLI would use for a registry, given its client config: the
// helper named in credHelpers for that registry, else the credsStore helper, else (or when
// the helper has none) the auths entry filed under the registry (an exact key first, then a
// legacy key such as "https://registry.example.com/v1/" with the same host).
#include <optional>
#include <string>

#include "core/image_reference.h"
#include "registry/docker_config.h"
#include "util/subprocess.h"

namespace drover::registry {

/// What the config says about one registry, before any helper runs.
struct CredentialSource {
  std::string helper;                             // the helper to run ("" when none applies)
  std::optional<DockerConfig::Auth> inline_auth;  // the auths entry, when there is one
};

/// The source for the registry filed under `key` (credential_key).
CredentialSource credential_source(const DockerConfig& config, const std::string& key);

/// The credentials for `image`'s registry, running a helper through `runner` when the config
/// names one; nullopt when the config has none. Throws RegistryAuthError as the helper does.
std::optional<RegistryCredentials> find_credentials(const DockerConfig& config,
                                                    const core::ImageReference& image,
                                                    ProcessRunner& runner);

/// How to give this machine credentials for `image`'s registry, for refusals: the docker
/// login line, or credHelpers for ECR.
std::string credentials_fix(const core::ImageReference& image, const std::string& config_path);

}  // namespace drover::registry
