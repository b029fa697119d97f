#pragma once
// Deploy ids name a deploy in the journal, the lock and `--resume`, and are shown as the
// guide's "command: 6ca32b16-367e-4372-8a33-6dd9442ed2c3" line: a random (version 4) UUID.
#include <string>
#include <string_view>

#include "util/random.h"

namespace drover::core {

/// A lowercase RFC 4122 version 4 UUID drawn from `random`.
std::string make_deploy_id(Random& random);

/// True for the form make_deploy_id produces (any version digit accepted), so `--resume`
/// and `show` can refuse a mistyped id before looking for its journal.
bool is_deploy_id(std::string_view text);

}  // namespace drover::core
