#include "registry/docker_config.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>

#include "util/base64.h"

namespace drover::registry {
namespace {

using nlohmann::json;

std::string string_field(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string docker_config_dir(const std::optional<std::string>& docker_config_env,
                              const std::optional<std::string>& home_env,
                              const std::string& fallback_home) {
  if (docker_config_env && !docker_config_env->empty()) return *docker_config_env;
  const std::string home = home_env && !home_env->empty() ? *home_env : fallback_home;
  return home + "/.docker";
}

DockerConfig parse_docker_config(std::string_view text, const std::string& path) {
  DockerConfig config;
  config.path = path;
  const auto document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    throw RegistryAuthError("the Docker client config " + path + " is not a JSON object");
  }
  config.creds_store = string_field(document, "credsStore");
  if (const auto helpers = document.find("credHelpers");
      helpers != document.end() && helpers->is_object()) {
    for (const auto& [registry, helper] : helpers->items()) {
      if (helper.is_string() && !helper.get<std::string>().empty()) {
        config.cred_helpers[registry] = helper.get<std::string>();
      }
    }
  }
  if (const auto auths = document.find("auths"); auths != document.end() && auths->is_object()) {
    for (const auto& [key, entry] : auths->items()) {
      if (!entry.is_object()) continue;
      DockerConfig::Auth auth;
      auth.username = string_field(entry, "username");
      auth.password = string_field(entry, "password");
      auth.identity_token = string_field(entry, "identitytoken");
      if (const auto encoded = string_field(entry, "auth"); !encoded.empty()) {
        // The decoded text is a secret: the message names the entry, never the value.
        const auto decoded = base64_decode(encoded);
        const auto colon = decoded ? decoded->find(':') : std::string::npos;
        if (colon == std::string::npos) {
          throw RegistryAuthError("the Docker client config " + path + ": auths[\"" + key +
                                  "\"].auth is not base64 of user:password");
        }
        auth.username = decoded->substr(0, colon);
        auth.password = decoded->substr(colon + 1);
      }
      config.auths[key] = std::move(auth);
    }
  }
  return config;
}

DockerConfig load_docker_config(const std::string& dir) {
  const std::string path = dir + "/config.json";
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
      DockerConfig empty;
      empty.path = path;
      return empty;
    }
    throw RegistryAuthError("cannot read the Docker client config " + path);
  }
  // A client config is a few KB; anything far larger is not one.
  constexpr std::size_t kMaxConfigBytes = 4 << 20;
  std::string text(kMaxConfigBytes + 1, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(file.gcount()));
  if (text.size() > kMaxConfigBytes) {
    throw RegistryAuthError("the Docker client config " + path + " is larger than 4 MiB");
  }
  return parse_docker_config(text, path);
}

std::string auths_key_host(std::string_view key) {
  for (std::string_view scheme : {"https://", "http://"}) {
    if (key.substr(0, scheme.size()) == scheme) {
      key.remove_prefix(scheme.size());
      break;
    }
  }
  return std::string(key.substr(0, key.find('/')));
}

}  // namespace drover::registry
