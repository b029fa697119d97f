#include "cli/registry/registry_digest.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/input_error.h"
#include "util/http/loopback_host.h"

namespace drover::cli {
namespace {

// Lists and indexes first: for a multi-platform image the tag names the list, and its digest
// is the one `docker pull` records; single manifests cover plain single-platform pushes.
constexpr const char* kAccept =
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.docker.distribution.manifest.v2+json, "
    "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json";

constexpr std::string_view kHubDomain = "registry-1.docker.io";

bool is_docker_hub(std::string_view domain) {
  std::string lower(domain);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.empty() || lower == "docker.io" || lower == "index.docker.io" || lower == kHubDomain;
}

// How messages name the registry: its address as typed, or Docker Hub by name.
std::string registry_name(const core::ImageReference& ref) {
  return ref.domain.empty() ? "Docker Hub" : ref.domain;
}

std::string tag_of(const core::ImageReference& ref) {
  return ref.tag.empty() ? "latest" : ref.tag;
}

std::string human_duration(std::chrono::milliseconds duration) {
  if (duration.count() % 1000 == 0) return fmt::format("{} s", duration.count() / 1000);
  return fmt::format("{} ms", duration.count());
}

std::string by_digest_fix(const core::ImageReference& ref) {
  return fmt::format("pass the image by digest, {}@sha256:…, to skip resolution", ref.repository());
}

[[noreturn]] void refuse(const core::ImageReference& ref, std::string what, std::string fix) {
  throw core::InputError("image " + ref.str(), std::move(what), std::move(fix));
}

// What one request learnt.
struct Answer {
  HttpResponse response;
  std::optional<std::string> digest;
};

Answer ask(HttpClient& http, const std::string& url, bool head, const RegistryOptions& options) {
  HttpRequest request;
  request.method = head ? "HEAD" : "GET";
  request.url = url;
  request.headers = {{"Accept", kAccept}, {"User-Agent", "drover"}};
  request.timeout = options.timeout;
  // Registries may send manifests from a mirror or storage front.
  request.max_redirects = 5;
  Answer answer{http.send(request), std::nullopt};
  answer.digest = content_digest(answer.response.headers);
  return answer;
}

[[noreturn]] void refuse_transfer(const core::ImageReference& ref, const HttpResponse& response,
                                  const RegistryOptions& options) {
  const std::string registry = registry_name(ref);
  const std::string& why = response.transport_error;
  switch (response.failure) {
    case HttpFailure::cannot_connect:
      refuse(ref, fmt::format("registry {} is unreachable: {}", registry, why),
             "check the registry address in the image reference and that this machine can "
             "reach it (network, firewall, HTTPS_PROXY)");
    case HttpFailure::timed_out:
      refuse(ref,
             fmt::format("registry {} did not answer within {}", registry,
                         human_duration(options.timeout)),
             "check that the registry is up and that the network to it is not dropping packets");
    case HttpFailure::tls:
      refuse(ref, fmt::format("TLS with registry {} failed: {}", registry, why),
             "the registry's certificate must be valid for its name and signed by a CA in the "
             "system store (update-ca-certificates)");
    case HttpFailure::too_large:
      refuse(ref, fmt::format("registry {} sent far more than a manifest: {}", registry, why),
             "check that the registry address points at a container registry");
    case HttpFailure::none:
    case HttpFailure::other:
      break;
  }
  refuse(ref, fmt::format("asking registry {} failed: {}", registry, why),
         "check the registry address and the network to it");
}

[[noreturn]] void refuse_status(const core::ImageReference& ref, long status,
                                const std::string& url) {
  const std::string registry = registry_name(ref);
  switch (status) {
    case 200:
      refuse(ref,
             fmt::format("registry {} answered without a Docker-Content-Digest header", registry),
             by_digest_fix(ref));
    case 401:
      refuse(ref,
             fmt::format("registry {} wants authentication, which drover does not implement "
                         "(Docker Hub and ECR want a token even for public images)",
                         registry),
             by_digest_fix(ref));
    case 403:
      refuse(ref, fmt::format("registry {} refused access to {}", registry, ref.repository()),
             "check the repository name, or " + by_digest_fix(ref));
    case 404:
      refuse(ref, fmt::format("tag {} does not exist in {}", tag_of(ref), ref.repository()),
             "push it first or check the tag");
    case 429:
      refuse(ref, fmt::format("registry {} is limiting the request rate (HTTP 429)", registry),
             "wait a few minutes and retry, or " + by_digest_fix(ref));
    default:
      refuse(ref, fmt::format("registry {} answered HTTP {} for {}", registry, status, url),
             "check the registry's health and logs, or " + by_digest_fix(ref));
  }
}

}  // namespace

bool is_loopback_registry(std::string_view domain) {
  return is_loopback_host(domain);
}

std::string manifest_url(const core::ImageReference& ref) {
  const bool hub = is_docker_hub(ref.domain);
  const std::string host = hub ? std::string(kHubDomain) : ref.domain;
  // Hub's official images live under "library/"; `docker pull nginx` adds it the same way.
  const std::string path =
      hub && ref.path.find('/') == std::string::npos ? "library/" + ref.path : ref.path;
  const char* scheme = is_loopback_registry(ref.domain) ? "http" : "https";
  return fmt::format("{}://{}/v2/{}/manifests/{}", scheme, host, path, tag_of(ref));
}

std::optional<std::string> content_digest(
    const std::vector<std::pair<std::string, std::string>>& headers) {
  for (const auto& [name, value] : headers) {
    if (name == "docker-content-digest") return value;
  }
  return std::nullopt;
}

std::string checked_digest(const core::ImageReference& ref, std::string_view value) {
  if (core::is_sha256_digest(value)) return std::string(value);
  // The value comes from the network: shown shortened, it still says what arrived.
  const std::string shown =
      value.size() > 80 ? std::string(value.substr(0, 80)) + "…" : std::string(value);
  refuse(ref,
         fmt::format("registry {} sent Docker-Content-Digest '{}', not 'sha256:' and 64 "
                     "lowercase hex digits",
                     registry_name(ref), shown),
         by_digest_fix(ref));
}

std::string resolve_digest(const core::ImageReference& ref, HttpClient& http,
                           const RegistryOptions& options) {
  // Already pinned: the digest names the bytes, and no registry needs asking.
  if (!ref.digest.empty()) return ref.digest;

  const std::string url = manifest_url(ref);
  Answer answer = ask(http, url, /*head=*/true, options);
  if (answer.response.status == 0) refuse_transfer(ref, answer.response, options);
  if (answer.response.status == 200 && answer.digest) return checked_digest(ref, *answer.digest);
  // These answers would not change with GET; anything else might (some registries and
  // proxies send the digest only on GET, or do not implement HEAD at all).
  const long status = answer.response.status;
  if (status == 401 || status == 403 || status == 404 || status == 429) {
    refuse_status(ref, status, url);
  }
  answer = ask(http, url, /*head=*/false, options);
  if (answer.response.status == 0) refuse_transfer(ref, answer.response, options);
  if (answer.response.status == 200 && answer.digest) return checked_digest(ref, *answer.digest);
  refuse_status(ref, answer.response.status, url);
}

}  // namespace drover::cli
