#pragma once
// Base64 (RFC 4648) as the registry protocols use it: the `auth` field of a Docker client
// config and ECR's authorization token are standard base64 of "user:password"; the Engine API's
// X-Registry-Auth header is base64url of a JSON document. libcrypto does the work.
#include <optional>
#include <string>
#include <string_view>

namespace drover {

/// Standard alphabet, with '=' padding.
std::string base64_encode(std::string_view bytes);

/// The URL- and filename-safe alphabet ('-' and '_' for '+' and '/'), with '=' padding, as the
/// Docker Engine reads X-Registry-Auth.
std::string base64url_encode(std::string_view bytes);

/// Standard base64; surrounding whitespace and missing padding are accepted. nullopt when the
/// text is not base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace drover
