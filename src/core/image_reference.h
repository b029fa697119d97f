#pragma once
// A Docker image reference, validated against the Docker reference grammar
// (github.com/distribution/reference):
//   reference  := name [":" tag] ["@" digest]
//   name       := [domain "/"] path-component ["/" path-component]*     (≤ 255 characters)
//   domain     := host [":" port]      host: DNS labels separated by "." or "[IPv6]"
//   path-component := [a-z0-9]+ (separator [a-z0-9]+)*   separator := "." | "_" | "__" | "-"+
//   tag        := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
//   digest     := "sha256:" 64 lowercase hex digits   (drover pins sha256 only)
// A reference reaches a shell on every host, so anything outside the grammar is refused
// with a message naming the offending character, before any agent runs.
//
// Invariant of ImageReference: every field already satisfies the grammar above, and
// `path` is never empty.
#include <string>
#include <string_view>

namespace drover::core {

struct ImageReference {
  std::string domain;  // "127.0.0.1:5000", "registry.example.com"; "" = Docker's default
  std::string path;    // "tradebot", "team/tradebot"
  std::string tag;     // "" when the reference has none
  std::string digest;  // "" when the reference has none; else "sha256:<64 hex>"

  /// domain/path (or path alone): what `docker pull` calls the repository.
  std::string repository() const;
  /// The reference as text: repository[:tag][@digest].
  std::string str() const;
  /// repository@digest: the bytes every host will run, whatever the tag does meanwhile.
  std::string pinned(std::string_view sha256_digest) const;

  bool operator==(const ImageReference&) const = default;
};

/// Parses and validates a full reference. Throws InputError saying what is wrong and how to
/// fix it (empty, a space, a newline, a shell character, an upper-case repository name, a bad
/// tag or digest, a name over 255 characters).
ImageReference parse_image_reference(std::string_view text);

/// Completes what the operator typed with the fleet's defaults, then validates it:
///   "v2" or ":v2"            → <default_repository>:v2   (a single word is a tag)
///   "@sha256:…"              → <default_repository>@sha256:…
///   "registry/name"          → registry/name:<default_tag>  (a repository alone)
///   "registry/name:v2", "name:v2", "name@sha256:…" → as typed
/// A Docker Hub image with no namespace is written "library/nginx" or "nginx:tag".
/// Throws InputError like parse_image_reference, and when a default it needs is unset.
ImageReference complete_image_reference(std::string_view typed, std::string_view default_repository,
                                        std::string_view default_tag);

/// True when `digest` is "sha256:" followed by 64 lowercase hex digits.
bool is_sha256_digest(std::string_view digest);

}  // namespace drover::core
