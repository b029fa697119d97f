#pragma once
// `drover rollback`: put the selected bots back on the exact digest each ran before the latest
// deploy that touched it (core/rollback_choice.h has the rule), or with --to on what a given
// deploy installed. Everything after the plan is a deploy's (plan_execution.h): the plan box
// (with the digests it goes back to and how many bots per digest, and every bot it leaves or
// skips), one confirmation, the fleet's lock, the error halt, the journal, notifications,
// verification against each bot's own digest, and the exit codes. The old image is pulled
// again by digest: the agent pruned it from the host after the deploy.
#include <optional>
#include <string>
#include <vector>

#include "cli/commands/command.h"

namespace drover::cli {

/// `drover rollback [staging|bot|all] [routine|fast|immediate] [BOT_ID] [-y] [--to DEPLOY_ID]
/// [--json] [--color C] [--dry-run] [--straggler-wait S] [--allow-drift]` and the fleet options.
struct RollbackRequest {
  std::vector<std::string> words;  // [target] [speed] [bot id]; no image
  bool yes = false;
  bool json = false;
  ColorChoice color = ColorChoice::automatic;  // --color
  bool dry_run = false;
  std::optional<std::string> to;  // go back to what this deploy installed
  std::optional<int> straggler_wait_seconds;
  bool allow_drift = false;
  FleetOptions fleet;
};

void add_rollback_options(CLI::App& subcommand, RollbackRequest& request);

/// Returns the process exit code (core::ExitCode), as a deploy does; 0 without touching
/// anything when no selected bot has anything to go back to. Refuses (core::InputError, exit 2)
/// when a journal of the fleet cannot be read (without --to), or when the fleet's journals
/// changed between the plan and the lock.
int run_rollback(const RollbackRequest& request, CliWorld& world);

}  // namespace drover::cli
