#include "cli/commands/history_command.h"

#include <CLI/CLI.hpp>

#include "cli/state/deploy_journal.h"
#include "cli/view/history_text.h"
#include "core/exit_code.h"

namespace drover::cli {

void add_history_options(CLI::App& subcommand, HistoryRequest& request) {
  add_count_option(subcommand, "--limit", request.limit, 1, kMaxHistoryRows,
                   "rows to show, 1 to 100000 (20)");
  add_fleet_options(subcommand, request.fleet);
}

int run_history(const HistoryRequest& request, CliWorld& world) {
  auto config = load_fleet_config(request.fleet, world);
  auto listing = list_deploys(StateDir::open_for(world.env, config.fleet));
  for (const auto& warning : listing.warnings)
    world.terminal.error("drover: warning: " + warning + "\n");
  if (listing.deploys.empty()) {
    world.terminal.print("no deploys recorded yet for fleet " + config.fleet.name() + "\n");
  } else {
    world.terminal.print(render_history_table(listing.deploys, request.limit));
  }
  return core::to_int(core::ExitCode::success);
}

}  // namespace drover::cli
