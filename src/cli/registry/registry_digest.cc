#include "cli/registry/registry_digest.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fmt/format.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "core/input_error.h"

namespace drover::cli {
namespace {

// Lists and indexes first: for a multi-platform image the tag names the list, and its digest
// is the one `docker pull` records; single manifests cover plain single-platform pushes.
constexpr const char* kAcceptHeader =
    "Accept: application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.docker.distribution.manifest.v2+json, "
    "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json";

// Manifests are a few KiB; anything far larger is not a registry answering our question, and
// reading it all would only waste the operator's time.
constexpr std::size_t kMaxBodyBytes = 4 * 1024 * 1024;

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

std::string_view trimmed(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
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

// libcurl's global state must be set up once, before any handle, and not concurrently.
void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("libcurl could not initialise");
    }
  });
}

struct CurlCleanup {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistCleanup {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// What one request learnt. After a redirect only the final response counts, so every status
// line starts over.
struct Answer {
  CURLcode code = CURLE_OK;
  std::string curl_message;
  long status = 0;
  std::optional<std::string> digest;
  std::size_t body_bytes = 0;
};

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* answer = static_cast<Answer*>(user);
  const std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    answer->digest.reset();
  } else if (auto digest = content_digest_header(line)) {
    answer->digest = std::move(digest);
  }
  return size * count;
}

// The digest is in the headers; the body of a GET is only counted, then dropped.
std::size_t on_body(char*, std::size_t size, std::size_t count, void* user) {
  auto* answer = static_cast<Answer*>(user);
  answer->body_bytes += size * count;
  return answer->body_bytes > kMaxBodyBytes ? 0 : size * count;  // 0 aborts the transfer
}

Answer ask(const std::string& url, bool head, bool loopback, const RegistryOptions& options) {
  init_curl_once();
  std::unique_ptr<CURL, CurlCleanup> curl(curl_easy_init());
  std::unique_ptr<curl_slist, SlistCleanup> headers(curl_slist_append(nullptr, kAcceptHeader));
  if (!curl || !headers) throw std::runtime_error("libcurl could not start a request");

  Answer answer;
  char error[CURL_ERROR_SIZE] = {};
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_NOBODY, head ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &answer);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "drover");
  // Registries may send manifests from a mirror or storage front; never to another protocol.
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.timeout.count()));
  // Timeouts by signal would disturb the rest of drover (and are not thread-safe).
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  // A proxy cannot reach this machine's loopback, whatever http_proxy says; "" means direct.
  if (loopback) curl_easy_setopt(h, CURLOPT_PROXY, "");

  answer.code = curl_easy_perform(h);
  if (answer.code != CURLE_OK) {
    answer.curl_message = error[0] ? error : curl_easy_strerror(answer.code);
  } else {
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &answer.status);
  }
  return answer;
}

[[noreturn]] void refuse_transfer(const core::ImageReference& ref, const Answer& answer,
                                  const RegistryOptions& options) {
  const std::string registry = registry_name(ref);
  switch (answer.code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      refuse(ref, fmt::format("registry {} is unreachable: {}", registry, answer.curl_message),
             "check the registry address in the image reference and that this machine can "
             "reach it (network, firewall, HTTPS_PROXY)");
    case CURLE_OPERATION_TIMEDOUT:
      refuse(ref,
             fmt::format("registry {} did not answer within {}", registry,
                         human_duration(options.timeout)),
             "check that the registry is up and that the network to it is not dropping packets");
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
      refuse(ref, fmt::format("TLS with registry {} failed: {}", registry, answer.curl_message),
             "the registry's certificate must be valid for its name and signed by a CA in the "
             "system store (update-ca-certificates)");
    case CURLE_WRITE_ERROR:
      refuse(ref,
             fmt::format("registry {} sent a manifest larger than {} MiB", registry,
                         kMaxBodyBytes / (1024 * 1024)),
             "check that the registry address points at a container registry");
    default:
      refuse(ref, fmt::format("asking registry {} failed: {}", registry, answer.curl_message),
             "check the registry address and the network to it");
  }
}

[[noreturn]] void refuse_status(const core::ImageReference& ref, const Answer& answer,
                                const std::string& url) {
  const std::string registry = registry_name(ref);
  switch (answer.status) {
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
      refuse(ref, fmt::format("registry {} answered HTTP {} for {}", registry, answer.status, url),
             "check the registry's health and logs, or " + by_digest_fix(ref));
  }
}

}  // namespace

bool is_loopback_registry(std::string_view domain) {
  if (domain.starts_with('[')) {
    const auto close = domain.find(']');
    if (close == std::string_view::npos) return false;
    const std::string host(domain.substr(1, close - 1));
    in6_addr address{};
    if (inet_pton(AF_INET6, host.c_str(), &address) != 1) return false;
    return IN6_IS_ADDR_LOOPBACK(&address) ||
           (IN6_IS_ADDR_V4MAPPED(&address) && address.s6_addr[12] == 127);
  }
  std::string host(domain.substr(0, domain.find(':')));
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (host == "localhost") return true;
  in_addr address{};
  if (inet_pton(AF_INET, host.c_str(), &address) != 1) return false;
  return (ntohl(address.s_addr) >> 24) == 127;
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

std::optional<std::string> content_digest_header(std::string_view header_line) {
  constexpr std::string_view kName = "docker-content-digest";
  const auto colon = header_line.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const auto name = trimmed(header_line.substr(0, colon));
  const bool same = std::equal(
      name.begin(), name.end(), kName.begin(), kName.end(),
      [](unsigned char a, unsigned char b) { return std::tolower(a) == static_cast<int>(b); });
  if (!same) return std::nullopt;
  return std::string(trimmed(header_line.substr(colon + 1)));
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

std::string resolve_digest(const core::ImageReference& ref, const RegistryOptions& options) {
  // Already pinned: the digest names the bytes, and no registry needs asking.
  if (!ref.digest.empty()) return ref.digest;

  const std::string url = manifest_url(ref);
  const bool loopback = is_loopback_registry(ref.domain);
  Answer answer = ask(url, /*head=*/true, loopback, options);
  if (answer.code != CURLE_OK) refuse_transfer(ref, answer, options);
  if (answer.status == 200 && answer.digest) return checked_digest(ref, *answer.digest);
  // These answers would not change with GET; anything else might (some registries and
  // proxies send the digest only on GET, or do not implement HEAD at all).
  if (answer.status == 401 || answer.status == 403 || answer.status == 404 ||
      answer.status == 429) {
    refuse_status(ref, answer, url);
  }
  answer = ask(url, /*head=*/false, loopback, options);
  if (answer.code != CURLE_OK) refuse_transfer(ref, answer, options);
  if (answer.status == 200 && answer.digest) return checked_digest(ref, *answer.digest);
  refuse_status(ref, answer, url);
}

}  // namespace drover::cli
