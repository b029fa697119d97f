#pragma once
// AWS credentials and where they come from. The chain that finds them the way the AWS CLI
// does (environment, profile files, credential_process, assume-role, container, IMDSv2) lives
// in credential_chain.h; everything that signs requests only sees a CredentialsProvider.
#include <chrono>
#include <cstdlib>
#include <functional>
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

/// Reads one environment variable; nullopt when it is unset. Tests pass a map's lookup, so
/// nothing in src/aws reads the process environment behind the caller's back.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

/// The process environment (getenv), for production callers.
inline std::optional<std::string> process_env(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  return value ? std::optional<std::string>(value) : std::nullopt;
}

/// Wall-clock time: credential expiry is a calendar time (drover::Clock is steady time), and
/// tests move it forward to exercise refresh. The same alias as json_protocol_client.h's, so
/// one fake serves signing and expiry. Must be safe to call from several threads.
using WallClock = std::function<std::chrono::system_clock::time_point()>;

}  // namespace drover::aws
