#include "cli/commands/show_command.h"

#include <CLI/CLI.hpp>

#include "cli/state/deploy_journal.h"
#include "cli/view/history_json.h"
#include "cli/view/history_text.h"
#include "core/exit_code.h"

namespace drover::cli {

void add_show_options(CLI::App& subcommand, ShowRequest& request) {
  subcommand.add_option("deploy_id", request.deploy_id, "the deploy's id (see drover history)")
      ->required();
  subcommand.add_flag("--json", request.json, "one JSON document on stdout (docs/json.md)");
  add_fleet_options(subcommand, request.fleet);
}

int run_show(const ShowRequest& request, CliWorld& world) {
  auto config = load_fleet_config(request.fleet, world);
  auto deploy = load_deploy(StateDir::open_for(world.env, config.fleet), request.deploy_id);
  for (const auto& warning : deploy.warnings)
    world.terminal.error("drover: warning: " + warning + "\n");
  if (request.json) {
    world.terminal.print(
        deploy_json(deploy).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  } else {
    world.terminal.print(render_deploy_details(deploy));
  }
  return core::to_int(core::ExitCode::success);
}

}  // namespace drover::cli
