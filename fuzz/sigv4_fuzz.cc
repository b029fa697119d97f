// SigV4 canonicalisation (aws/sigv4.h) on any request: the input is read like the AWS test
// suite's .req files (request line, header lines with folded continuations, a blank line, the
// body), so the suite's requests are the seeds. Canonicalising and signing never throw and
// never break the canonical form: the path starts with '/', the query and header block come out
// the same when canonicalised again, and the signature is 64 hex digits.
#include <strings.h>

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "aws/sigv4.h"
#include "fuzz_check.h"

namespace {

using namespace drover::aws;

// RFC 9110's token characters, the only ones a header name has.
constexpr std::string_view kTokenChars =
    "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// Splits `text` like a .req file; never fails: a missing part is empty, and a header line whose
// name is no HTTP token is left out.
sigv4::SignableRequest request_from(std::string_view text) {
  sigv4::SignableRequest request;
  const auto blank = text.find("\n\n");
  if (blank != std::string_view::npos) {
    request.body = std::string(text.substr(blank + 2));
    text = text.substr(0, blank);
  }
  const auto first_end = text.find('\n');
  const auto request_line = text.substr(0, first_end);
  text = first_end == std::string_view::npos ? std::string_view() : text.substr(first_end + 1);
  const auto method_end = request_line.find(' ');
  request.method = std::string(request_line.substr(0, method_end));
  auto target = method_end == std::string_view::npos ? std::string_view()
                                                     : request_line.substr(method_end + 1);
  if (const auto version = target.rfind(" HTTP/"); version != std::string_view::npos) {
    target = target.substr(0, version);
  }
  const auto question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) {
    request.query = std::string(target.substr(question + 1));
  }
  while (!text.empty()) {
    const auto end = text.find('\n');
    const auto line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !request.headers.empty()) {
      request.headers.back().second += '\n' + std::string(line);
      continue;
    }
    const auto colon = line.find(':');
    const auto name = line.substr(0, colon);
    if (name.find_first_not_of(kTokenChars) != std::string_view::npos) {
      continue;  // drover's header names are HTTP tokens: SignedHeaders has no other form
    }
    request.headers.emplace_back(std::string(name), colon == std::string_view::npos
                                                        ? std::string()
                                                        : std::string(line.substr(colon + 1)));
  }
  return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto request = request_from(drover::fuzz::as_text(data, size));

  const auto uri = sigv4::canonical_uri(request.path);
  drover::fuzz::require(!uri.empty() && uri.front() == '/', "the canonical URI starts with '/'");
  const auto normalized = sigv4::normalize_path(request.path);
  drover::fuzz::require(sigv4::normalize_path(normalized) == normalized,
                        "normalize_path is idempotent");
  const auto query = sigv4::canonical_query(request.query);
  drover::fuzz::require(sigv4::canonical_query(query) == query, "canonical_query is idempotent");
  const auto headers = sigv4::canonical_headers(request.headers);
  drover::fuzz::require(
      (";" + headers.signed_headers + ";").find(";authorization;") == std::string::npos,
      "Authorization is never signed");
  const auto canonical = sigv4::canonical_request(request);

  // The AWS test suite's credentials and scope (its SOURCE.md).
  Credentials credentials;
  credentials.access_key_id = "AKIDEXAMPLE";
  credentials.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  credentials.session_token = "session-token";
  const sigv4::SigningScope scope{
      "us-east-1", "service",
      std::chrono::system_clock::time_point(std::chrono::seconds(1440938160))};
  const auto signature = sigv4::signature(sigv4::signing_key(credentials.secret_access_key, scope),
                                          sigv4::string_to_sign(scope, canonical));
  drover::fuzz::require(signature.size() == 64 &&
                            signature.find_first_not_of("0123456789abcdef") == std::string::npos,
                        "a signature is 64 lower-case hex digits");
  const auto is_authorization = [](const auto& header) {
    return header.first.size() == 13 && strncasecmp(header.first.c_str(), "authorization", 13) == 0;
  };
  const auto before =
      std::count_if(request.headers.begin(), request.headers.end(), is_authorization);
  sigv4::sign(request, credentials, scope);
  // sign() replaces an Authorization header already there (a re-signed request stays valid).
  // A request with several is not one drover builds: only one with at most one is checked.
  if (before <= 1) {
    const auto header =
        std::find_if(request.headers.begin(), request.headers.end(), is_authorization);
    drover::fuzz::require(
        std::count_if(request.headers.begin(), request.headers.end(), is_authorization) == 1 &&
            header->second.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
        "a signed request has one Authorization header, the signature");
  }
  return 0;
}
