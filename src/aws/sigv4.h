#pragma once
// AWS Signature Version 4 (header-based), step by step so each step can be checked against the
// official test suite: canonical request -> string to sign -> signing key -> signature ->
// Authorization header. Paths are normalized (RFC 3986 dot segments, repeated slashes), which
// is right for every service drover talks to (SSM, STS, EC2) and wrong for S3.
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/credentials.h"
#include "util/http/http_client.h"

namespace drover::aws::sigv4 {

using Headers = std::vector<std::pair<std::string, std::string>>;

/// A request as it goes on the wire, before signing. `path` and `query` are raw: exactly the
/// characters of the request target before and after the '?' (the query without the '?').
/// Header values are taken as given (untrimmed, possibly folded over lines); signing
/// canonicalizes them and leaves them unchanged in the request.
struct SignableRequest {
  std::string method;
  std::string path = "/";
  std::string query;
  Headers headers;
  std::string body;
};

/// What the signature is bound to besides the request.
struct SigningScope {
  std::string region;   // us-east-1
  std::string service;  // the signing name: ssm, sts, ec2
  std::chrono::system_clock::time_point time;
};

/// Some services want the session token signed, some want it added after signing. The
/// services drover calls accept it signed, which is the default.
enum class SessionTokenPlacement { kSigned, kAddedAfterSigning };

/// 20150830T123600Z (UTC), the X-Amz-Date value.
std::string amz_date(std::chrono::system_clock::time_point time);

/// Removes "." and ".." segments (RFC 3986 section 5.2.4) and empty segments ("//"); keeps a
/// trailing slash. "" and any path that climbs above the root become "/".
std::string normalize_path(std::string_view raw_path);

/// The canonical URI: the normalized path, each byte outside the unreserved set
/// percent-encoded. A '%' already in the path is encoded again (%20 -> %2520), as AWS expects
/// for every service but S3.
std::string canonical_uri(std::string_view raw_path);

/// The canonical query string: parameters percent-decoded then re-encoded, sorted by key and
/// then value (so a repeated key keeps all its values), a missing '=' meaning an empty value.
std::string canonical_query(std::string_view raw_query);

/// The header block of the canonical request ("name:value\n" per distinct lower-cased name,
/// sorted) and the matching SignedHeaders list ("host;x-amz-date"). Values are trimmed and runs
/// of whitespace (including folded line breaks) collapse to one space; repeated names join
/// their values with ',' in request order. Authorization, User-Agent, Expect and
/// X-Amzn-Trace-Id are never signed: proxies and libraries may rewrite them.
struct CanonicalHeaders {
  std::string block;
  std::string signed_headers;
};
CanonicalHeaders canonical_headers(const Headers& headers);

/// The six canonical request lines: method, URI, query, headers block, signed headers and the
/// lower-case hex SHA-256 of the body.
std::string canonical_request(const SignableRequest& request);

/// 20150830/us-east-1/service/aws4_request
std::string credential_scope(const SigningScope& scope);

/// AWS4-HMAC-SHA256, the date, the scope and the hash of the canonical request, one a line.
std::string string_to_sign(const SigningScope& scope, std::string_view canonical_request);

/// The derived key (raw 32 bytes): HMAC chain over date, region, service and "aws4_request"
/// starting from "AWS4" + secret.
std::string signing_key(std::string_view secret_access_key, const SigningScope& scope);

/// Lower-case hex HMAC-SHA256 of the string to sign under the signing key.
std::string signature(std::string_view signing_key, std::string_view string_to_sign);

/// The Authorization header value:
/// AWS4-HMAC-SHA256 Credential=<id>/<scope>, SignedHeaders=<list>, Signature=<hex>
std::string authorization(std::string_view access_key_id, const SigningScope& scope,
                          std::string_view signed_headers, std::string_view signature_hex);

/// Signs `request` in place: sets X-Amz-Date (replacing the value of one already present, else
/// appending it), sets X-Amz-Security-Token when the credentials carry a session token (signed
/// or not per `placement`) and appends Authorization. Other headers are left as they are.
void sign(SignableRequest& request, const Credentials& credentials, const SigningScope& scope,
          SessionTokenPlacement placement = SessionTokenPlacement::kSigned);

/// Signs an HttpRequest bound for its absolute `url`: adds a Host header taken from the URL
/// (with the port when one is given) unless one is present, then signs as above.
void sign(HttpRequest& request, const Credentials& credentials, const SigningScope& scope);

}  // namespace drover::aws::sigv4
