#include "aws/credential_cache.h"

#include <utility>

namespace drover::aws {
namespace {

// The least a held set may have left to be handed out after a failed refresh.
constexpr std::chrono::seconds kLastResortMargin{60};

}  // namespace

RefreshingCredentialsProvider::RefreshingCredentialsProvider(Fetch fetch, WallClock clock,
                                                             std::chrono::seconds refresh_before,
                                                             std::optional<Credentials> initial)
    : fetch_(std::move(fetch)),
      clock_(clock),
      refresh_before_(refresh_before),
      held_(std::move(initial)) {}

bool RefreshingCredentialsProvider::fresh(const Credentials& credentials,
                                          std::chrono::seconds margin) {
  return !credentials.expiration || clock_() + margin < *credentials.expiration;
}

Credentials RefreshingCredentialsProvider::get() {
  std::lock_guard lock(mutex_);
  if (held_ && fresh(*held_, refresh_before_)) {
    return *held_;
  }
  try {
    held_ = fetch_();
  } catch (...) {
    if (held_ && fresh(*held_, kLastResortMargin)) {
      return *held_;
    }
    throw;
  }
  return *held_;
}

}  // namespace drover::aws
