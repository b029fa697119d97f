#include "agent/registry_login.h"

#include <algorithm>
#include <cctype>

#include "registry/credential_lookup.h"
#include "registry/registry_auth_header.h"

namespace drover::agent {

PullAuth anonymous_pull_auth(const core::ImageReference&) {
  return {};
}

PullAuthLookup host_pull_auth(std::string config_dir, ProcessRunner& runner) {
  return [config_dir = std::move(config_dir), &runner](const core::ImageReference& image) {
    const auto config = registry::load_docker_config(config_dir);
    PullAuth auth;
    auth.config_path = config.path;
    if (auto credentials = registry::find_credentials(config, image, runner)) {
      auth.header = registry::registry_auth_header(*credentials, registry::credential_key(image));
      auth.source = credentials->source;
    }
    return auth;
  };
}

std::string agent_docker_config_dir(const char* agent_override, const char* docker_config,
                                    const char* home) {
  const auto value = [](const char* text) -> std::optional<std::string> {
    if (text == nullptr || *text == '\0') return std::nullopt;
    return std::string(text);
  };
  if (auto dir = value(agent_override)) return *dir;
  return registry::docker_config_dir(value(docker_config), value(home), "/root");
}

bool is_registry_refusal(const docker::RuntimeError& error) {
  if (error.status() == 401 || error.status() == 403) return true;
  std::string text = error.what();
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* words : {"no basic auth credentials", "unauthorized", "authentication required",
                            "denied", "401 unauthorized", "may require 'docker login'"}) {
    if (text.find(words) != std::string::npos) return true;
  }
  return false;
}

std::string registry_refusal_reason(const core::ImageReference& image, const PullAuth& auth) {
  const std::string registry = registry::registry_display_name(image);
  if (auth.source.empty()) {
    return "registry " + registry + " wants credentials and this host has none for it in " +
           auth.config_path + " (" + registry::credentials_fix(image, auth.config_path) + ")";
  }
  return "registry " + registry + " refused this host's credentials (from " + auth.source +
         ") for " + image.repository() + " (check them, e.g. " +
         registry::credentials_fix(image, auth.config_path) + ")";
}

}  // namespace drover::agent
