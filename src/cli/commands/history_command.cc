#include "cli/commands/history_command.h"

#include <CLI/CLI.hpp>

#include "cli/state/deploy_journal.h"
#include "cli/view/history_json.h"
#include "cli/view/history_text.h"
#include "core/exit_code.h"

namespace drover::cli {

void add_history_options(CLI::App& subcommand, HistoryRequest& request) {
  add_count_option(subcommand, "--limit", request.limit, 1, kMaxHistoryRows,
                   "rows to show, 1 to 100000 (20)");
  subcommand.add_flag("--json", request.json, "one JSON document on stdout (docs/json.md)");
  add_fleet_options(subcommand, request.fleet);
}

int run_history(const HistoryRequest& request, CliWorld& world) {
  auto config = load_fleet_config(request.fleet, world);
  auto listing = list_deploys(StateDir::open_for(world.env, config.fleet));
  for (const auto& warning : listing.warnings)
    world.terminal.error("drover: warning: " + warning + "\n");
  if (request.json) {
    world.terminal.print(
        history_json(config.fleet.name(), listing.deploys, request.limit, listing.warnings)
            .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
        "\n");
  } else if (listing.deploys.empty()) {
    world.terminal.print("no deploys recorded yet for fleet " + config.fleet.name() + "\n");
  } else {
    world.terminal.print(render_history_table(listing.deploys, request.limit));
  }
  return core::to_int(core::ExitCode::success);
}

}  // namespace drover::cli
