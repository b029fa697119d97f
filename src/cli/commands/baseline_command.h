#pragma once
// `drover baseline [staging|bot|all] [BOT_ID] [--fix] [--install-agent] [--json]`: the guide's
// host safeguards on every host (docker on boot, resolv.conf 0644, log rotation, free disk)
// and the agent build, as one table; --fix repairs, idempotently; --install-agent first puts
// this drover's agent on hosts that lack it or run another. Read-only unless asked otherwise.
// Exit 0 when every host is fine, ExitCode::needs_attention (8) otherwise; errors before any
// host is asked are usage errors (2).
#include <string>
#include <vector>

#include "cli/commands/command.h"

namespace drover::cli {

struct BaselineRequest {
  std::vector<std::string> words;  // [staging|bot|all] [BOT_ID]
  bool fix = false;
  bool install_agent = false;
  bool json = false;
  FleetOptions fleet;
};

void add_baseline_options(CLI::App& subcommand, BaselineRequest& request);

int run_baseline(const BaselineRequest& request, CliWorld& world);

}  // namespace drover::cli
