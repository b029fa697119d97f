#include "cli/commands/show_command.h"

#include <CLI/CLI.hpp>

#include "cli/state/deploy_journal.h"
#include "cli/view/history_text.h"
#include "core/exit_code.h"

namespace drover::cli {

void add_show_options(CLI::App& subcommand, ShowRequest& request) {
  subcommand.add_option("deploy_id", request.deploy_id, "the deploy's id (see drover history)")
      ->required();
  add_fleet_options(subcommand, request.fleet);
}

int run_show(const ShowRequest& request, CliWorld& world) {
  auto config = load_fleet_config(request.fleet, world);
  auto deploy = load_deploy(StateDir::open_for(world.env, config.fleet), request.deploy_id);
  for (const auto& warning : deploy.warnings)
    world.terminal.error("drover: warning: " + warning + "\n");
  world.terminal.print(render_deploy_details(deploy));
  return core::to_int(core::ExitCode::success);
}

}  // namespace drover::cli
