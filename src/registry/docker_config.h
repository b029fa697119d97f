#pragma once
// The Docker client's config file (config.json), read the way the `docker` CLI reads it for
// registry credentials: `auths` (inline "auth" = base64 "user:password", or username/password,
// or an identitytoken), `credsStore` (the default credential helper) and `credHelpers` (a helper
// per registry). Everything else in the file is ignored.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/image_reference.h"
#include "registry/registry_credentials.h"
#include "registry/registry_names.h"

namespace drover::registry {

/// The directory holding config.json, as the docker CLI finds it: $DOCKER_CONFIG, else
/// $HOME/.docker; `fallback_home` when HOME is unset (drover-agent under SSM Run Command runs
/// as root with no HOME: "/root").
std::string docker_config_dir(const std::optional<std::string>& docker_config_env,
                              const std::optional<std::string>& home_env,
                              const std::string& fallback_home);

struct DockerConfig {
  struct Auth {
    std::string username;
    std::string password;
    std::string identity_token;
  };
  std::string path;                   // the file it came from, for messages
  std::map<std::string, Auth> auths;  // by the key as written ("ghcr.io", "https://…/v1/")
  std::string creds_store;            // "" when none: the helper for every registry
  std::map<std::string, std::string> cred_helpers;  // registry → helper ("ecr-login")
};

/// Parses config.json's text. Throws RegistryAuthError naming `path` when it is not a JSON
/// object or an "auth" value is not base64 of "user:password".
DockerConfig parse_docker_config(std::string_view text, const std::string& path);

/// Reads `dir`/config.json; a missing file is an empty config (the docker CLI's view too).
/// Throws RegistryAuthError when it exists but cannot be read or parsed.
DockerConfig load_docker_config(const std::string& dir);

/// An auths key reduced to host[:port], as the docker CLI matches legacy keys:
/// "https://registry.example.com/v1/" → "registry.example.com".
std::string auths_key_host(std::string_view key);

}  // namespace drover::registry
