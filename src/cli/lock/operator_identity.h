#pragma once
// Who is running drover, as journals and locks name them: "user@hostname". The hostname
// also decides whether a lock's pid can be checked at all (only on the host that wrote it).
// Invariant: user and hostname are non-empty and contain no '@' (the hostname is what
// follows the last '@' of a holder string).
#include <string>
#include <string_view>

namespace drover::cli {

struct OperatorIdentity {
  std::string user;
  std::string hostname;

  /// "user@hostname".
  std::string holder() const { return user + "@" + hostname; }
  bool operator==(const OperatorIdentity&) const = default;
};

/// The effective user (passwd entry, else $USER, else "uid<N>") and gethostname().
OperatorIdentity current_operator();

/// The hostname part of a holder string: after its last '@'; "" when there is none.
std::string holder_hostname(std::string_view holder);

}  // namespace drover::cli
