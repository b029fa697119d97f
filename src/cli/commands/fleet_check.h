#pragma once
// What the fleet checks (`drover baseline`, `drover drift`) share: the hosts they look at,
// from their words `[staging|bot|all] [BOT_ID]` (the same targets as a deploy, `all` (every
// production host) when none is given, and `bot N` meaning the one host that holds bot N),
// what they say while hosts answer, and their exit code.
#include <string>
#include <vector>

#include "cli/cli_world.h"
#include "core/fleet.h"
#include "core/target.h"

namespace drover::cli {

/// Throws core::InputError for a speed or image word, a bot id without `bot`, `bot` without
/// an id, or a bot the fleet does not have. `command` names the command in messages.
core::Selection fleet_check_selection(const std::vector<std::string>& words,
                                      const core::Fleet& fleet, const std::string& command);

/// On a terminal, says on stderr what is happening while up to a few hundred hosts answer.
void announce(CliWorld& world, const std::string& text);

/// 0 when every host is fine, else core::ExitCode::needs_attention (8).
int fleet_check_exit_code(bool all_fine);

}  // namespace drover::cli
