#include "cli/registry/registry_digest.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "cli/registry/registry_challenge.h"
#include "core/input_error.h"
#include "registry/registry_names.h"
#include "util/http/loopback_host.h"

namespace drover::cli {
namespace {

// Lists and indexes first: for a multi-platform image the tag names the list, and its digest
// is the one `docker pull` records; single manifests cover plain single-platform pushes.
constexpr const char* kAccept =
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.docker.distribution.manifest.v2+json, "
    "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json";

// How messages name the registry: its address as typed, or Docker Hub by name.
std::string registry_name(const core::ImageReference& ref) {
  return registry::registry_display_name(ref);
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

std::optional<std::string> header_value(const HttpResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return std::nullopt;
}

// The manifest requests of one lookup, authenticated once the registry asks for it.
class ManifestSession {
 public:
  ManifestSession(const core::ImageReference& ref, HttpClient& http,
                  const RegistryCredentialsSource& credentials, const RegistryOptions& options)
      : ref_(ref),
        http_(http),
        options_(options),
        authorizer_(http, credentials, options.timeout) {}

  Answer ask(const std::string& url, bool head) {
    Answer answer = send(url, head);
    if (answer.response.status != 401 || authorization_) return refused_if_401(answer);
    const auto challenge = header_value(answer.response, "www-authenticate");
    const auto parsed = challenge ? parse_registry_challenge(*challenge) : std::nullopt;
    if (!parsed) {
      throw core::InputError(
          "image " + ref_.str(),
          "registry " + registry_name(ref_) + " answered 401 without a Basic or Bearer challenge",
          "check that the address points at a container registry");
    }
    authorization_ = authorizer_.authorization(ref_, *parsed);
    return refused_if_401(send(url, head));
  }

 private:
  Answer send(const std::string& url, bool head) {
    HttpRequest request;
    request.method = head ? "HEAD" : "GET";
    request.url = url;
    request.headers = {{"Accept", kAccept}, {"User-Agent", "drover"}};
    // libcurl keeps a header it was given to the host it was given for: a redirect to
    // another host (a storage front) does not carry the registry's credentials.
    if (authorization_) request.headers.emplace_back("Authorization", *authorization_);
    request.timeout = options_.timeout;
    // Registries may send manifests from a mirror or storage front.
    request.max_redirects = 5;
    Answer answer{http_.send(request), std::nullopt};
    answer.digest = content_digest(answer.response.headers);
    return answer;
  }

  // A 401 after authenticating: the registry refused the credentials (or, with a token, the
  // token does not grant pull on this repository).
  Answer refused_if_401(Answer answer) {
    if (answer.response.status == 401 && authorization_) {
      refuse_registry_credentials(ref_, authorizer_.credentials());
    }
    if (answer.response.status == 401) {
      refuse_registry_credentials(ref_, std::nullopt);
    }
    return answer;
  }

  const core::ImageReference& ref_;
  HttpClient& http_;
  const RegistryOptions& options_;
  RegistryAuthorizer authorizer_;
  std::optional<std::string> authorization_;
};

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
    case HttpFailure::out_of_resources:
      refuse(ref, fmt::format("could not ask registry {}: {}", registry, why),
             "raise the open-files limit (ulimit -n) or free memory on this machine");
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
    case 403:
      refuse(ref, fmt::format("registry {} refused access to {}", registry, ref.repository()),
             "check the repository name, or " + by_digest_fix(ref));
    case 404:
      if (!ref.digest.empty()) {
        refuse(ref, fmt::format("digest {} does not exist in {}", ref.digest, ref.repository()),
               "check the digest (docker image inspect shows RepoDigests), or push the image");
      }
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
  const char* scheme = is_loopback_registry(ref.domain) ? "http" : "https";
  const std::string reference = ref.digest.empty() ? tag_of(ref) : ref.digest;
  return fmt::format("{}://{}/v2/{}/manifests/{}", scheme, registry::registry_api_host(ref),
                     registry::repository_path(ref), reference);
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
  return resolve_digest(ref, http, no_registry_credentials, options);
}

std::string resolve_digest(const core::ImageReference& ref, HttpClient& http,
                           const RegistryCredentialsSource& credentials,
                           const RegistryOptions& options) {
  const std::string url = manifest_url(ref);
  ManifestSession session(ref, http, credentials, options);
  // A digest is asked for by itself: the answer is whether the registry has it.
  const auto found = [&ref](const Answer& answer) -> std::optional<std::string> {
    if (answer.response.status != 200) return std::nullopt;
    if (!ref.digest.empty()) return ref.digest;
    if (answer.digest) return checked_digest(ref, *answer.digest);
    return std::nullopt;
  };
  Answer answer = session.ask(url, /*head=*/true);
  if (answer.response.status == 0) refuse_transfer(ref, answer.response, options);
  if (auto digest = found(answer)) return *digest;
  // These answers would not change with GET; anything else might (some registries and
  // proxies send the digest only on GET, or do not implement HEAD at all).
  const long status = answer.response.status;
  if (status == 403 || status == 404 || status == 429) refuse_status(ref, status, url);
  answer = session.ask(url, /*head=*/false);
  if (answer.response.status == 0) refuse_transfer(ref, answer.response, options);
  if (auto digest = found(answer)) return *digest;
  refuse_status(ref, answer.response.status, url);
}

}  // namespace drover::cli
