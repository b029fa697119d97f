#pragma once
// The create body of a bot's new container. A swap must change the image and nothing
// else the operator configured, so the new container is a clone of the old one: it keeps
// what the container set on top of its image (env, labels, mounts, network, restart
// policy, resources) and drops what it inherited from the old image's own defaults (CMD,
// ENTRYPOINT, ENV, HEALTHCHECK...), so the new image's defaults take effect.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "docker/container_runtime.h"

namespace drover::agent {

/// The guide's DNS safeguard: the host's resolv.conf (mode 0644) bind-mounted read-only,
/// replacing whatever resolv.conf mount the container had.
inline constexpr const char* kResolvConf = "/etc/resolv.conf";

/// `old_image` is the image the old container runs; when it is gone, every Config field
/// that images set (Cmd, Entrypoint, Healthcheck...) is dropped rather than guessed.
nlohmann::json clone_create_body(const docker::ContainerInfo& old,
                                 const std::optional<docker::ImageInfo>& old_image,
                                 const std::string& new_image_ref);

/// A create body from the operator's template (Docker create JSON), `{id}` replaced by the
/// bot id in every string. Throws std::invalid_argument when the template is not an object.
nlohmann::json template_create_body(const nlohmann::json& container_template, int bot_id,
                                    const std::string& new_image_ref);

/// Adds the read-only bind of the host's resolv.conf, removing any other mount of it.
void enforce_resolv_conf_mount(nlohmann::json& body, const std::string& host_path = kResolvConf);

}  // namespace drover::agent
