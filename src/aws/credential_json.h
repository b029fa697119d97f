#pragma once
// The JSON documents that carry temporary credentials (credential_process output, the
// container endpoint, IMDS) and the ISO 8601 times in them. Errors name the source and the
// missing field, never a value: the document holds secrets.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "aws/credentials.h"

namespace drover::aws {

/// "2024-05-01T12:00:00Z", with optional fractional seconds and a "Z", "+HH:MM" or "-HH:MM"
/// offset (credential_process helpers write all of these). nullopt when it is not such a time.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);

struct JsonCredentialFields {
  const char* token_field;   // "SessionToken" (credential_process) or "Token" (container, IMDS)
  bool expiration_required;  // container and IMDS credentials always expire
};

/// Parses one credentials document. Throws AwsError(`error_code`, ...) naming `source` and what
/// is wrong (not JSON, a missing or non-string field, a bad Expiration).
Credentials credentials_from_json(const std::string& body, const JsonCredentialFields& fields,
                                  const std::string& source, const std::string& error_code);

}  // namespace drover::aws
