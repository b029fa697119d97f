#include "registry/registry_names.h"

#include <algorithm>
#include <cctype>

namespace drover::registry {

bool is_docker_hub(std::string_view domain) {
  std::string lower(domain);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.empty() || lower == "docker.io" || lower == "index.docker.io" ||
         lower == "registry-1.docker.io";
}

std::string registry_api_host(const core::ImageReference& image) {
  return is_docker_hub(image.domain) ? "registry-1.docker.io" : image.domain;
}

std::string repository_path(const core::ImageReference& image) {
  // Hub's official images live under "library/"; `docker pull nginx` adds it the same way.
  if (is_docker_hub(image.domain) && image.path.find('/') == std::string::npos) {
    return "library/" + image.path;
  }
  return image.path;
}

std::string credential_key(const core::ImageReference& image) {
  return is_docker_hub(image.domain) ? "https://index.docker.io/v1/" : image.domain;
}

std::string registry_display_name(const core::ImageReference& image) {
  return is_docker_hub(image.domain) ? "Docker Hub" : image.domain;
}

}  // namespace drover::registry
