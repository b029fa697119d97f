#pragma once
// `drover deploy`: the guide's one front door. Pick target and speed (prompting for what is
// missing), show the plan with the pinned digest, confirm once, take the fleet's lock, roll
// out with live progress, journal every step, verify every bot, retry the login stragglers.
#include <optional>
#include <string>
#include <vector>

#include "cli/commands/command.h"

namespace drover::cli {

/// What the operator typed: `drover deploy [words] [-y] [--json] [--color C] [--dry-run] [--resume
/// ID]
/// [--straggler-wait S] [--allow-drift]` and the fleet options.
struct DeployRequest {
  std::vector<std::string> words;  // [target] [speed] [bot id] [image]
  bool yes = false;
  bool json = false;  // one JSON event per line instead of the terminal or plain view
  ColorChoice color = ColorChoice::automatic;  // --color
  bool dry_run = false;
  std::optional<std::string> resume;
  std::optional<int> straggler_wait_seconds;
  bool allow_drift = false;  // deploy even where the preflight finds another agent build or none
  FleetOptions fleet;
};

void add_deploy_options(CLI::App& subcommand, DeployRequest& request);

/// Returns the process exit code (core::ExitCode). Before the plan is shown, the drift
/// preflight asks every host to deploy which agent it runs; a host running another build or
/// none refuses the deploy (ExitCode::needs_attention, nothing touched) unless allow_drift. Throws
/// core::InputError, LockHeld and std::exception subclasses for the CLI edge to print as one line.
int run_deploy(const DeployRequest& request, CliWorld& world);

}  // namespace drover::cli
