#pragma once
// How an image reference names its registry, for each party that asks: the registry's API
// host, the repository path inside it, the key the docker CLI files credentials under, and
// the name messages use. Docker Hub is the one registry with several names (none, docker.io,
// index.docker.io, registry-1.docker.io) and an implicit "library/" namespace.
#include <string>
#include <string_view>

#include "core/image_reference.h"

namespace drover::registry {

/// Whether `domain` (as in a reference; "" for none) is Docker Hub.
bool is_docker_hub(std::string_view domain);

/// The host[:port] of the registry's HTTP API: registry-1.docker.io for Docker Hub.
std::string registry_api_host(const core::ImageReference& image);

/// The repository path inside the registry: "library/nginx" for Hub's official images.
std::string repository_path(const core::ImageReference& image);

/// The key the docker CLI files an image's credentials under: "https://index.docker.io/v1/"
/// for Docker Hub, else the registry's host[:port] as written in the reference.
std::string credential_key(const core::ImageReference& image);

/// The registry as people name it in messages: "Docker Hub" or host[:port].
std::string registry_display_name(const core::ImageReference& image);

}  // namespace drover::registry
