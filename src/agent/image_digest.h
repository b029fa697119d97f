#pragma once
// Which of an image's repo digests names it: Docker lists one "repository@sha256:…" per
// repository the image was pulled from, and the report gives the one of the reference used.
#include <string>
#include <string_view>

#include "docker/container_runtime.h"

namespace drover::agent {

/// The repo@sha256 digest of `image` whose repository is the one `reference` names (as
/// core::parse_image_reference reads it), else the first one; "" when it has none. A reference
/// outside the grammar (an old container's image id, say) matches no repository.
std::string repo_digest_for(const docker::ImageInfo& image, std::string_view reference);

}  // namespace drover::agent
