#pragma once
// An image reference the way the Engine's pull endpoint wants it:
// POST /images/create?fromImage=<repository>&tag=<tag or digest>. The reference itself is
// parsed and validated once, by core::parse_image_reference; this only maps its parts.
#include <string>

#include "core/image_reference.h"

namespace drover::docker {

struct PullReference {
  std::string repository;  // [host[:port]/]path/name, as written (no normalisation)
  std::string tag;         // the tag, "latest" when none is given, or "sha256:<hex>"
  bool by_digest = false;
};

/// name -> name, latest; host:5000/path/name:v1 -> host:5000/path/name, v1;
/// name@sha256:<hex> and name:v1@sha256:<hex> -> name, sha256:<hex> (a tag beside a digest
/// is ignored, as `docker pull` does).
PullReference pull_reference(const core::ImageReference& ref);

}  // namespace drover::docker
