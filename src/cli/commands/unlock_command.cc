#include "cli/commands/unlock_command.h"

#include <CLI/CLI.hpp>

#include "core/exit_code.h"

namespace drover::cli {

void add_unlock_options(CLI::App& subcommand, UnlockRequest& request) {
  subcommand.add_flag("--force", request.force, "break even a lock whose holder looks alive");
  add_fleet_options(subcommand, request.fleet);
}

int run_unlock(const UnlockRequest& request, CliWorld& world) {
  auto config = load_fleet_config(request.fleet, world);
  auto previous = make_fleet_lock(config, world)->break_lock(request.force);
  if (!previous) {
    world.terminal.print("fleet " + config.fleet.name() + " was not locked\n");
  } else {
    world.terminal.print("broke the lock of fleet " + config.fleet.name() + ", held by " +
                         previous->holder + " (pid " + std::to_string(previous->pid) + ", deploy " +
                         previous->deploy_id + ", since " + previous->started_at + ")\n");
  }
  return core::to_int(core::ExitCode::success);
}

}  // namespace drover::cli
