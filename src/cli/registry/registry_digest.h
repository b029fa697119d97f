#pragma once
// Resolves an image tag to the digest the registry serves for it right now, so that drover can
// pin the reference at plan time (ImageReference::pinned) and every host pulls the same bytes
// even if someone moves the tag during the rollout.
//
// It asks the registry's HTTP API (distribution spec) through drover's HttpClient:
//   HEAD <scheme>://<registry>/v2/<path>/manifests/<tag>    (GET when HEAD gives no digest)
// accepting manifest lists, OCI indexes and single manifests, and reads Docker-Content-Digest.
// Asking for the list/index first matters: it is what `docker pull` records in RepoDigests, so
// the pinned digest is the one operators see in `docker image inspect`.
//
// Scheme: http for loopback registries (127.0.0.0/8, localhost, [::1]), which Docker itself
// treats as insecure registries; https otherwise. TLS and proxies follow the HTTP client's one
// policy (util/http/curl_http_client.h): the system CA store, the usual proxy variables, and
// loopback always reached directly. Up to 5 redirects (a mirror, a storage front) are followed.
//
// Authentication: a 401 is answered as `docker pull` would (registry_authorizer.h: Basic, or
// the Bearer token flow), with the operator's credentials for the registry, which are looked
// up only then (operator_credentials.h: the Docker client config, its helpers, ECR).
//
// A reference that already carries a digest is checked, not trusted: HEAD on the manifest by
// digest, so a digest the registry does not have is refused at plan time (exit 2), before the
// lock, the journal or any host.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/registry/registry_authorizer.h"
#include "core/image_reference.h"
#include "util/http/http_client.h"

namespace drover::cli {

struct RegistryOptions {
  /// The whole exchange (connect, TLS, answer) must end within this time.
  std::chrono::milliseconds timeout = std::chrono::seconds(10);
};

/// "sha256:<64 hex>" for the reference's tag ("latest" when it has none, as Docker does); for
/// a reference with a digest, that digest once the registry confirmed it has the manifest.
/// Throws core::InputError("image <ref>", what, fix) when the tag or digest does not exist,
/// the registry is unreachable or too slow, wants credentials drover has not got or refuses
/// them, or answers anything else.
std::string resolve_digest(const core::ImageReference& ref, HttpClient& http,
                           const RegistryCredentialsSource& credentials,
                           const RegistryOptions& options = {});
/// The same, anonymously.
std::string resolve_digest(const core::ImageReference& ref, HttpClient& http,
                           const RegistryOptions& options = {});

/// True when `domain` (host[:port]) names this machine: 127.0.0.0/8, localhost, [::1].
bool is_loopback_registry(std::string_view domain);

/// The manifest URL resolve_digest asks for `ref`'s digest, else its tag. Docker Hub (an empty
/// domain, docker.io, index.docker.io) becomes registry-1.docker.io, and a single-component
/// path gets Hub's implicit "library/" namespace.
std::string manifest_url(const core::ImageReference& ref);

/// The value of the Docker-Content-Digest header among an HttpResponse's headers (names
/// lower-cased, values trimmed, as HttpClient gives them); nullopt when there is none.
std::optional<std::string> content_digest(
    const std::vector<std::pair<std::string, std::string>>& headers);

/// `value` when it is "sha256:<64 lowercase hex>"; else throws core::InputError for `ref`
/// saying the registry sent a digest drover cannot pin.
std::string checked_digest(const core::ImageReference& ref, std::string_view value);

}  // namespace drover::cli
