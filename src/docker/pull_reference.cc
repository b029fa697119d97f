#include "docker/pull_reference.h"

namespace drover::docker {

PullReference pull_reference(const core::ImageReference& ref) {
  PullReference out;
  out.repository = ref.repository();
  out.by_digest = !ref.digest.empty();
  out.tag = out.by_digest ? ref.digest : ref.tag.empty() ? "latest" : ref.tag;
  return out;
}

}  // namespace drover::docker
