#pragma once
// The fleet checks of issue 5, both read-only unless asked otherwise:
//   drover drift    [staging|bot|all] [BOT_ID] [--json]
//     which drover-agent build every host runs, against the one this drover was built with;
//     drifted, missing and unreachable hosts are listed by name with the sha256 each runs.
//   drover baseline [staging|bot|all] [BOT_ID] [--fix] [--install-agent] [--json]
//     the guide's host safeguards on every host (docker on boot, resolv.conf 0644, log
//     rotation, free disk) and the agent build, as one table; --fix repairs, idempotently;
//     --install-agent first puts this drover's agent on hosts that lack it or run another.
// Both exit 0 when every host is fine and ExitCode::needs_attention (8) otherwise; errors
// before any host is asked are usage errors (2).
#include <optional>
#include <string>
#include <vector>

#include "cli/cli_world.h"
#include "cli/commands/fleet_services.h"

namespace drover::cli {

struct DriftRequest {
  std::vector<std::string> words;  // [staging|bot|all] [BOT_ID]
  std::optional<std::string> config;
  bool json = false;
  AwsFlags aws;
};

int run_drift(const DriftRequest& request, CliWorld& world);

struct BaselineRequest {
  std::vector<std::string> words;  // [staging|bot|all] [BOT_ID]
  std::optional<std::string> config;
  bool fix = false;
  bool install_agent = false;
  bool json = false;
  AwsFlags aws;
};

int run_fleet_baseline(const BaselineRequest& request, CliWorld& world);

}  // namespace drover::cli
