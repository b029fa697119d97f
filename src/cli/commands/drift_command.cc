#include "cli/commands/drift_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cli/commands/fleet_check.h"
#include "cli/fleet/agent_versions.h"

namespace drover::cli {

void add_drift_options(CLI::App& subcommand, DriftRequest& request) {
  subcommand.add_option("words", request.words, "[staging|bot|all] [BOT_ID] (default all)");
  subcommand.add_flag("--json", request.json, "one JSON document on stdout");
  add_fleet_options(subcommand, request.fleet);
}

int run_drift(const DriftRequest& request, CliWorld& world) {
  auto config = load_fleet_config(request.fleet, world);
  auto selection = fleet_check_selection(request.words, config.fleet, "drift");
  auto transport = world.make_transport(config);
  announce(world, fmt::format("checking which agent {} host(s) run…", selection.hosts.size()));
  auto report = check_agent_versions(selection.hosts, *transport);
  if (request.json) {
    auto json = core::drift_to_json(report);
    json["command"] = "drift";
    world.terminal.print(json.dump() + "\n");
  } else {
    world.terminal.print(core::render_drift_report(report));
  }
  return fleet_check_exit_code(report.clean());
}

}  // namespace drover::cli
