#include "aws/sigv4.h"

#include <fmt/format.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <memory>
#include <stdexcept>

#include "util/percent_encoding.h"
#include "util/sha256.h"

namespace drover::aws::sigv4 {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Trims and collapses every run of whitespace (a folded header's line breaks included) into one
// space, as the suite's get-header-value-trim and get-header-value-multiline cases require.
std::string canonical_header_value(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (char c : value) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

bool is_never_signed(std::string_view lower_name) {
  return lower_name == "authorization" || lower_name == "user-agent" || lower_name == "expect" ||
         lower_name == "x-amzn-trace-id";
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out,
           &length) == nullptr) {
    throw std::runtime_error("OpenSSL could not compute HMAC-SHA256");
  }
  return std::string(reinterpret_cast<const char*>(out), length);
}

std::string lower_hex(std::string_view bytes) {
  static constexpr char kHexLower[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kHexLower[c >> 4];
    out += kHexLower[c & 0xf];
  }
  return out;
}

// Sets the first header named `name` (any case) to `value`, or appends it.
void set_header(Headers& headers, std::string_view name, const std::string& value) {
  for (auto& [existing_name, existing_value] : headers) {
    if (iequals(existing_name, name)) {
      existing_value = value;
      return;
    }
  }
  headers.emplace_back(std::string(name), value);
}

struct UrlParts {
  std::string authority;
  std::string path;
  std::string query;
};

UrlParts split_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    throw std::invalid_argument("cannot sign a request without an absolute URL: " +
                                std::string(url));
  }
  std::string_view rest = url.substr(scheme_end + 3);
  const auto fragment = rest.find('#');
  if (fragment != std::string_view::npos) rest = rest.substr(0, fragment);
  const auto authority_end = rest.find_first_of("/?");
  UrlParts parts;
  std::string_view authority = rest.substr(0, authority_end);
  const auto at = authority.rfind('@');  // user info is never part of Host
  if (at != std::string_view::npos) authority = authority.substr(at + 1);
  parts.authority = std::string(authority);
  std::string_view target =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  const auto question = target.find('?');
  parts.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) parts.query = std::string(target.substr(question + 1));
  if (parts.path.empty()) parts.path = "/";
  return parts;
}

}  // namespace

std::string amz_date(std::chrono::system_clock::time_point time) {
  // Calendar arithmetic, not gmtime_r and strftime: those take the time zone lock and cost
  // microseconds, and every signed request formats the date three times (issue 11).
  using namespace std::chrono;
  const auto day = floor<days>(time);
  const year_month_day date(day);
  const hh_mm_ss clock(floor<seconds>(time - day));
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     clock.hours().count(), clock.minutes().count(), clock.seconds().count());
}

std::string normalize_path(std::string_view raw_path) {
  std::vector<std::string_view> kept;
  bool ends_in_directory = raw_path.empty() || raw_path.back() == '/';
  std::size_t start = 0;
  while (start <= raw_path.size()) {
    const auto slash = raw_path.find('/', start);
    const auto end = slash == std::string_view::npos ? raw_path.size() : slash;
    const std::string_view segment = raw_path.substr(start, end - start);
    const bool last = slash == std::string_view::npos;
    if (segment == "..") {
      if (!kept.empty()) kept.pop_back();
      if (last) ends_in_directory = true;  // RFC 3986: "/a/b/.." is "/a/"
    } else if (segment == ".") {
      if (last) ends_in_directory = true;
    } else if (!segment.empty()) {
      kept.push_back(segment);
    }
    if (last) break;
    start = slash + 1;
  }
  std::string out = "/";
  for (std::size_t i = 0; i < kept.size(); ++i) {
    if (i > 0) out += '/';
    out += kept[i];
  }
  if (!kept.empty() && ends_in_directory) out += '/';
  return out;
}

std::string canonical_uri(std::string_view raw_path) {
  return percent_encode(normalize_path(raw_path), {.keep_slash = true});
}

std::string canonical_query(std::string_view raw_query) {
  std::vector<std::pair<std::string, std::string>> params;
  std::size_t start = 0;
  while (start <= raw_query.size()) {
    auto amp = raw_query.find('&', start);
    if (amp == std::string_view::npos) amp = raw_query.size();
    const std::string_view param = raw_query.substr(start, amp - start);
    if (!param.empty()) {
      const auto equals = param.find('=');
      const std::string_view key = param.substr(0, equals);
      const std::string_view value =
          equals == std::string_view::npos ? std::string_view() : param.substr(equals + 1);
      // Query components arrive encoded (or not: the suite has raw UTF-8 in a query).
      // Decoding first and encoding once makes both spellings canonicalize the same way.
      params.emplace_back(percent_encode(percent_decode(key)),
                          percent_encode(percent_decode(value)));
    }
    start = amp + 1;
  }
  // Sorting the encoded pairs byte-wise orders by key, then by value for a repeated key.
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) out += '&';
    out += key;
    out += '=';
    out += value;
  }
  return out;
}

CanonicalHeaders canonical_headers(const Headers& headers) {
  std::map<std::string, std::string> merged;  // sorted by lower-cased name
  for (const auto& [name, value] : headers) {
    std::string key = lower(name);
    if (is_never_signed(key)) continue;
    auto [it, inserted] = merged.try_emplace(std::move(key), canonical_header_value(value));
    if (!inserted) {
      it->second += ',';
      it->second += canonical_header_value(value);
    }
  }
  CanonicalHeaders out;
  for (const auto& [name, value] : merged) {
    out.block += name + ':' + value + '\n';
    if (!out.signed_headers.empty()) out.signed_headers += ';';
    out.signed_headers += name;
  }
  return out;
}

std::string canonical_request(const SignableRequest& request) {
  const CanonicalHeaders headers = canonical_headers(request.headers);
  return request.method + '\n' + canonical_uri(request.path) + '\n' +
         canonical_query(request.query) + '\n' + headers.block + '\n' + headers.signed_headers +
         '\n' + sha256_hex(request.body);
}

std::string credential_scope(const SigningScope& scope) {
  return amz_date(scope.time).substr(0, 8) + '/' + scope.region + '/' + scope.service +
         "/aws4_request";
}

std::string string_to_sign(const SigningScope& scope, std::string_view canonical_request) {
  return std::string(kAlgorithm) + '\n' + amz_date(scope.time) + '\n' + credential_scope(scope) +
         '\n' + sha256_hex(canonical_request);
}

std::string signing_key(std::string_view secret_access_key, const SigningScope& scope) {
  const std::string date_key =
      hmac_sha256("AWS4" + std::string(secret_access_key), amz_date(scope.time).substr(0, 8));
  const std::string region_key = hmac_sha256(date_key, scope.region);
  const std::string service_key = hmac_sha256(region_key, scope.service);
  return hmac_sha256(service_key, "aws4_request");
}

namespace {

struct MacContextFree {
  void operator()(EVP_MAC_CTX* context) const { EVP_MAC_CTX_free(context); }
};
using MacContext = std::unique_ptr<EVP_MAC_CTX, MacContextFree>;

// An HMAC-SHA256 context keyed with `key`, to be copied for each message: OpenSSL 3's one-shot
// HMAC() looks the MAC and the digest up in its provider tables on every call, which was a
// third of signing's cost at fleet scale (thousands of requests, one key a day).
MacContext keyed_hmac_sha256(std::string_view key) {
  static EVP_MAC* const algorithm = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  MacContext context(algorithm != nullptr ? EVP_MAC_CTX_new(algorithm) : nullptr);
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
  if (!context || EVP_MAC_init(context.get(), reinterpret_cast<const unsigned char*>(key.data()),
                               key.size(), params) != 1) {
    throw std::runtime_error("OpenSSL could not start HMAC-SHA256");
  }
  return context;
}

// The HMAC of `data` under the key `keyed` holds; `keyed` stays as it was.
std::string hmac_with(const EVP_MAC_CTX& keyed, std::string_view data) {
  MacContext context(EVP_MAC_CTX_dup(&keyed));
  unsigned char out[EVP_MAX_MD_SIZE];
  std::size_t length = 0;
  if (!context ||
      EVP_MAC_update(context.get(), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1 ||
      EVP_MAC_final(context.get(), out, &length, sizeof out) != 1) {
    throw std::runtime_error("OpenSSL could not compute HMAC-SHA256");
  }
  return std::string(reinterpret_cast<const char*>(out), length);
}

// The signing key changes only with the day, the region, the service and the secret, so, as
// AWS's SDKs do, it is derived once for them rather than with four HMACs per request: a deploy
// to 10,000 instances signs thousands of requests. It is kept as a keyed HMAC context. One
// entry per thread, so no lock.
const EVP_MAC_CTX& cached_signing_hmac(std::string_view secret_access_key,
                                       const SigningScope& scope) {
  struct Entry {
    std::string secret, day, region, service;
    MacContext keyed;
  };
  thread_local Entry entry;
  const std::string day = amz_date(scope.time).substr(0, 8);
  if (!entry.keyed || entry.day != day || entry.region != scope.region ||
      entry.service != scope.service || entry.secret != secret_access_key) {
    entry = {std::string(secret_access_key), day, scope.region, scope.service,
             keyed_hmac_sha256(signing_key(secret_access_key, scope))};
  }
  return *entry.keyed;
}

}  // namespace

std::string signature(std::string_view signing_key, std::string_view string_to_sign) {
  return lower_hex(hmac_sha256(signing_key, string_to_sign));
}

std::string authorization(std::string_view access_key_id, const SigningScope& scope,
                          std::string_view signed_headers, std::string_view signature_hex) {
  return std::string(kAlgorithm) + " Credential=" + std::string(access_key_id) + '/' +
         credential_scope(scope) + ", SignedHeaders=" + std::string(signed_headers) +
         ", Signature=" + std::string(signature_hex);
}

void sign(SignableRequest& request, const Credentials& credentials, const SigningScope& scope,
          SessionTokenPlacement placement) {
  set_header(request.headers, "X-Amz-Date", amz_date(scope.time));
  const bool has_token = !credentials.session_token.empty();
  if (has_token && placement == SessionTokenPlacement::kSigned) {
    set_header(request.headers, "X-Amz-Security-Token", credentials.session_token);
  }
  const std::string canonical = canonical_request(request);
  const std::string signed_headers = canonical_headers(request.headers).signed_headers;
  const std::string signature_hex = lower_hex(hmac_with(
      cached_signing_hmac(credentials.secret_access_key, scope), string_to_sign(scope, canonical)));
  if (has_token && placement == SessionTokenPlacement::kAddedAfterSigning) {
    set_header(request.headers, "X-Amz-Security-Token", credentials.session_token);
  }
  // Replacing rather than appending keeps a re-signed request valid.
  set_header(request.headers, "Authorization",
             authorization(credentials.access_key_id, scope, signed_headers, signature_hex));
}

void sign(HttpRequest& request, const Credentials& credentials, const SigningScope& scope) {
  UrlParts url = split_url(request.url);
  SignableRequest signable{request.method, std::move(url.path), std::move(url.query),
                           std::move(request.headers), std::move(request.body)};
  const bool has_host =
      std::any_of(signable.headers.begin(), signable.headers.end(),
                  [](const auto& header) { return iequals(header.first, "host"); });
  if (!has_host) signable.headers.emplace(signable.headers.begin(), "Host", url.authority);
  sign(signable, credentials, scope);
  request.headers = std::move(signable.headers);
  request.body = std::move(signable.body);
}

}  // namespace drover::aws::sigv4
