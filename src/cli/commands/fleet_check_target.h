#pragma once
// The hosts a fleet check (`drover baseline`, `drover drift`) looks at, from its words
// `[staging|bot|all] [BOT_ID]`: the same targets as a deploy, `all` (every production host)
// when none is given, and `bot N` meaning the one host that holds bot N.
#include <string>
#include <vector>

#include "core/fleet.h"
#include "core/target.h"

namespace drover::cli {

/// Throws core::InputError for a speed or image word, a bot id without `bot`, `bot` without
/// an id, or a bot the fleet does not have. `command` names the command in messages.
core::Selection fleet_check_selection(const std::vector<std::string>& words,
                                      const core::Fleet& fleet, const std::string& command);

}  // namespace drover::cli
