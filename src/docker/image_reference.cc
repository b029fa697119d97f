#include "docker/image_reference.h"

#include <optional>
#include <stdexcept>

namespace drover::docker {
namespace {

bool is_sha256_digest(std::string_view digest) {
  constexpr std::string_view kPrefix = "sha256:";
  if (digest.substr(0, kPrefix.size()) != kPrefix) return false;
  const auto hex = digest.substr(kPrefix.size());
  if (hex.size() != 64) return false;
  for (char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

[[noreturn]] void invalid(std::string_view ref, const std::string& why) {
  throw std::invalid_argument("invalid image reference \"" + std::string(ref) + "\": " + why);
}

struct NameAndTag {
  std::string_view repository;
  std::optional<std::string_view> tag;
};

// A colon before the last '/' belongs to a registry's port, not to a tag.
NameAndTag split_tag(std::string_view name) {
  const auto colon = name.rfind(':');
  const auto slash = name.rfind('/');
  if (colon == std::string_view::npos || (slash != std::string_view::npos && colon < slash)) {
    return {name, std::nullopt};
  }
  return {name.substr(0, colon), name.substr(colon + 1)};
}

}  // namespace

PullReference split_image_reference(std::string_view ref) {
  if (ref.empty()) invalid(ref, "empty");
  PullReference out;
  std::string_view name = ref;
  const auto at = ref.find('@');
  if (at != std::string_view::npos) {
    const auto digest = ref.substr(at + 1);
    if (!is_sha256_digest(digest)) invalid(ref, "the digest must be sha256:<64 lowercase hex>");
    out.tag = std::string(digest);
    out.by_digest = true;
    name = ref.substr(0, at);
  }
  const auto [repository, tag] = split_tag(name);
  if (repository.empty()) invalid(ref, "no repository");
  if (repository.back() == '/') invalid(ref, "empty name after '/'");
  if (tag && tag->empty()) invalid(ref, "empty tag");
  out.repository = std::string(repository);
  if (!out.by_digest) out.tag = tag ? std::string(*tag) : "latest";
  return out;
}

}  // namespace drover::docker
