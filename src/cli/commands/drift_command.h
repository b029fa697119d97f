#pragma once
// `drover drift [staging|bot|all] [BOT_ID] [--json]`: which drover-agent build every host runs,
// against the one this drover was built with; drifted, missing and unreachable hosts are
// listed by name with the sha256 each runs. Read-only. Exit 0 when every host runs this
// build, ExitCode::needs_attention (8) otherwise; errors before any host is asked are usage
// errors (2).
#include <string>
#include <vector>

#include "cli/commands/command.h"

namespace drover::cli {

struct DriftRequest {
  std::vector<std::string> words;  // [staging|bot|all] [BOT_ID]
  bool json = false;
  FleetOptions fleet;
};

void add_drift_options(CLI::App& subcommand, DriftRequest& request);

int run_drift(const DriftRequest& request, CliWorld& world);

}  // namespace drover::cli
