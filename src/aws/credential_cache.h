#pragma once
// Expiring credentials (credential_process, assume-role, container, IMDS) held between calls
// and fetched again shortly before they expire. The SSM transport calls get() from several
// threads: one fetch runs at a time and the others wait for its result rather than starting
// their own.
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>

#include "aws/credentials.h"

namespace drover::aws {

/// Refresh when less than this remains (the AWS CLI refreshes 15 minutes ahead at its most
/// eager; five is ample for requests that last seconds).
inline constexpr std::chrono::seconds kDefaultRefreshBefore{std::chrono::minutes(5)};

class RefreshingCredentialsProvider final : public CredentialsProvider {
 public:
  using Fetch = std::function<Credentials()>;

  /// `initial`, when given, is used until it is due for refresh (the chain has often fetched
  /// once already to find out whether the source works).
  RefreshingCredentialsProvider(Fetch fetch, WallClock clock,
                                std::chrono::seconds refresh_before = kDefaultRefreshBefore,
                                std::optional<Credentials> initial = std::nullopt);

  /// The held credentials while more than `refresh_before` remains; else fetches. When that
  /// fetch fails but the held credentials still have a minute left, they are returned (a
  /// passing STS or IMDS hiccup should not stop a rollout) and the next call tries again.
  Credentials get() override;

 private:
  bool fresh(const Credentials& credentials, std::chrono::seconds margin);

  Fetch fetch_;
  WallClock clock_;
  std::chrono::seconds refresh_before_;
  std::mutex mutex_;
  std::optional<Credentials> held_;
};

/// Credentials that never change (environment, static profile keys).
class StaticCredentialsProvider final : public CredentialsProvider {
 public:
  explicit StaticCredentialsProvider(Credentials credentials)
      : credentials_(std::move(credentials)) {}
  Credentials get() override { return credentials_; }

 private:
  const Credentials credentials_;
};

}  // namespace drover::aws
