#pragma once
// `drover unlock [--force]`: breaks the fleet's deploy lock and says whose it was. Without
// --force only a stale lock (its drover died on this machine) is broken; a live or unreadable
// one is refused with exit 7 naming its holder.
#include "cli/commands/command.h"

namespace drover::cli {

struct UnlockRequest {
  bool force = false;
  FleetOptions fleet;
};

void add_unlock_options(CLI::App& subcommand, UnlockRequest& request);

int run_unlock(const UnlockRequest& request, CliWorld& world);

}  // namespace drover::cli
