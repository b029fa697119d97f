#pragma once
// `drover deploy`: the guide's one front door. Pick target and speed (prompting for what is
// missing), show the plan with the pinned digest, confirm once, take the fleet's lock, roll
// out with live progress, journal every step, verify every bot, retry the login stragglers.
#include <optional>
#include <string>
#include <vector>

#include "cli/cli_world.h"
#include "cli/commands/fleet_services.h"

namespace drover::cli {

struct DeployRequest {
  std::vector<std::string> words;  // [target] [speed] [bot id] [image]
  bool yes = false;
  std::optional<std::string> config;
  OutputMode output = OutputMode::plain;
  bool dry_run = false;
  std::optional<std::string> resume;
  std::optional<int> straggler_wait_seconds;
  bool allow_drift = false;  // deploy even where the preflight finds another agent build or none
  AwsFlags aws;
};

/// Returns the process exit code (core::ExitCode). Before the plan is shown, the drift
/// preflight asks every host to deploy which agent it runs; a host running another build or
/// none refuses the deploy (ExitCode::needs_attention, nothing touched) unless allow_drift. Throws
/// core::InputError, LockHeld and std::exception subclasses for the CLI edge to print as one line.
int run_deploy(const DeployRequest& request, CliWorld& world);

struct VerifyRequest {
  std::vector<std::string> words;  // [staging|bot|all] [BOT_ID] [IMAGE_REF]
  std::optional<std::string> config;
  OutputMode output = OutputMode::plain;
  std::optional<int> straggler_wait_seconds;
  AwsFlags aws;
};

int run_verify(const VerifyRequest& request, CliWorld& world);

}  // namespace drover::cli
