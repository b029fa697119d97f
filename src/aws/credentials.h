#pragma once
// AWS credentials and where they come from. The chain that finds them the way the AWS CLI
// does (environment, profile files, credential_process, assume-role, container, IMDSv2) lives
// in credential_chain.h; everything that signs requests only sees a CredentialsProvider.
#include <chrono>
#include <optional>
#include <string>

namespace drover::aws {

/// One set of credentials. `session_token` is empty for long-term keys; `expiration` is unset
/// for credentials that do not expire. Never print `secret_access_key` or `session_token`.
struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  std::optional<std::chrono::system_clock::time_point> expiration;
  std::string source;  // where they came from, for messages: "environment", "profile prod", ...
};

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  /// Credentials valid for at least a few more minutes: a provider of expiring credentials
  /// refreshes them before they expire. Throws AwsError (code "NoCredentials" when no source
  /// has any) with a message that names what was tried and how to fix it.
  virtual Credentials get() = 0;
};

}  // namespace drover::aws
