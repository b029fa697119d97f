#pragma once
// From the engine's inspect documents to the runtime's value types. Field names follow the
// Engine API v1.41 specification (ContainerInspectResponse, ImageInspect). Absent or null
// fields map to empty values: older engines and stopped containers omit some of them.
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "docker/container_runtime.h"

namespace drover::docker {

/// GET /containers/{id}/json. Name loses its leading '/'; Health.Status "none" becomes "".
ContainerInfo container_info_from_json(const nlohmann::json& inspect);

/// GET /images/{name}/json. Null RepoTags / RepoDigests become empty lists.
ImageInfo image_info_from_json(const nlohmann::json& inspect);

/// GET /events: the body is one JSON message (EventMessage) per line. Keeps the container
/// events of `container_id` (Type "container", Actor.ID), oldest first. Throws
/// std::invalid_argument naming the line when one is not a JSON object.
std::vector<ContainerEvent> container_events_from_stream(std::string_view body,
                                                         const std::string& container_id);

}  // namespace drover::docker
