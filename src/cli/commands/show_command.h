#pragma once
// `drover show DEPLOY_ID`: everything recorded about one deploy: who ran it and how, the plan
// box, every planned host with its latest outcome, the result (or how to resume it), and the
// verification with the straggler retry.
#include <string>

#include "cli/commands/command.h"

namespace drover::cli {

struct ShowRequest {
  std::string deploy_id;
  FleetOptions fleet;
};

void add_show_options(CLI::App& subcommand, ShowRequest& request);

int run_show(const ShowRequest& request, CliWorld& world);

}  // namespace drover::cli
