#include "agent/image_digest.h"

#include "core/image_reference.h"
#include "core/input_error.h"

namespace drover::agent {

std::string repo_digest_for(const docker::ImageInfo& image, std::string_view reference) {
  std::string repository;
  try {
    repository = core::parse_image_reference(reference).repository();
  } catch (const core::InputError&) {
    // Not a reference drover would have sent: no repository to prefer.
  }
  for (const auto& digest : image.repo_digests) {
    if (!repository.empty() && digest.starts_with(repository + "@")) return digest;
  }
  return image.repo_digests.empty() ? "" : image.repo_digests.front();
}

}  // namespace drover::agent
