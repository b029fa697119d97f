#include "registry/credential_lookup.h"

#include "registry/credential_helper.h"
#include "registry/ecr_registry.h"

namespace drover::registry {

CredentialSource credential_source(const DockerConfig& config, const std::string& key) {
  CredentialSource source;
  if (const auto helper = config.cred_helpers.find(key); helper != config.cred_helpers.end()) {
    source.helper = helper->second;
  } else {
    source.helper = config.creds_store;
  }
  if (const auto exact = config.auths.find(key); exact != config.auths.end()) {
    source.inline_auth = exact->second;
    return source;
  }
  const std::string host = auths_key_host(key);
  for (const auto& [written, auth] : config.auths) {
    if (auths_key_host(written) == host) {
      source.inline_auth = auth;
      break;
    }
  }
  return source;
}

std::optional<RegistryCredentials> find_credentials(const DockerConfig& config,
                                                    const core::ImageReference& image,
                                                    ProcessRunner& runner) {
  const std::string key = credential_key(image);
  const auto source = credential_source(config, key);
  if (!source.helper.empty()) {
    if (auto found = run_credential_helper(runner, source.helper, key)) return found;
  }
  if (!source.inline_auth) return std::nullopt;
  RegistryCredentials credentials;
  credentials.username = source.inline_auth->username;
  credentials.password = source.inline_auth->password;
  credentials.identity_token = source.inline_auth->identity_token;
  credentials.source = "auths in " + config.path;
  if (credentials.empty()) return std::nullopt;
  return credentials;
}

std::string credentials_fix(const core::ImageReference& image, const std::string& config_path) {
  const std::string key = credential_key(image);
  if (parse_ecr_registry(image.domain)) {
    return "set credHelpers {\"" + key + "\": \"ecr-login\"} in " + config_path +
           " and install amazon-ecr-credential-helper";
  }
  // Docker Hub's key is a URL; `docker login` alone means Hub.
  const std::string login = key.rfind("https://", 0) == 0 ? "docker login" : "docker login " + key;
  return "run `" + login + "` as the same user, or add the registry to auths or credHelpers in " +
         config_path;
}

}  // namespace drover::registry
