#pragma once
// Splitting an image reference the way the Engine's pull endpoint wants it:
// POST /images/create?fromImage=<repository>&tag=<tag or digest>.
#include <string>
#include <string_view>

namespace drover::docker {

struct PullReference {
  std::string repository;  // [host[:port]/]path/name, as written (no normalisation)
  std::string tag;         // the tag, "latest" when none is given, or "sha256:<hex>"
  bool by_digest = false;
};

/// Splits `ref`:
///   name                      -> name, latest
///   host:5000/path/name       -> host:5000/path/name, latest  (the port is not a tag)
///   host:5000/path/name:v1    -> host:5000/path/name, v1
///   name@sha256:<64 hex>      -> name, sha256:<64 hex>        (a tag before '@' is ignored,
///   name:v1@sha256:<64 hex>   -> name, sha256:<64 hex>         as `docker pull` does)
/// Throws std::invalid_argument for an empty repository, tag or digest, or a digest that is
/// not sha256:<64 lowercase hex>.
PullReference split_image_reference(std::string_view ref);

}  // namespace drover::docker
