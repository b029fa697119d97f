#include "cli/commands/command_table.h"

#include <array>

#include "cli/commands/baseline_command.h"
#include "cli/commands/deploy_command.h"
#include "cli/commands/drift_command.h"
#include "cli/commands/history_command.h"
#include "cli/commands/inventory_command.h"
#include "cli/commands/rollback_command.h"
#include "cli/commands/show_command.h"
#include "cli/commands/simulate_command.h"
#include "cli/commands/unlock_command.h"
#include "cli/commands/verify_command.h"

namespace drover::cli {

std::span<const Command> command_table() {
  static const std::array kCommands{
      make_command("deploy", "plan, confirm, roll out, verify", add_deploy_options, run_deploy),
      make_command("rollback",
                   "put bots back on the digest they ran before the latest deploy (or --to one)",
                   add_rollback_options, run_rollback),
      make_command("verify", "check which bots run the image and are logged in", add_verify_options,
                   run_verify),
      make_command("simulate",
                   "what a deploy would do: makespan, login peak, error halt (nothing touched)",
                   add_simulate_options, run_simulate),
      make_command("baseline",
                   "check (and --fix) the host safeguards and agent build on every host",
                   add_baseline_options, run_baseline),
      make_command("drift", "list hosts not running this drover's agent build", add_drift_options,
                   run_drift),
      make_command("history", "list past deploys, newest first", add_history_options, run_history),
      make_command("show", "everything recorded about one deploy", add_show_options, run_show),
      make_command("unlock", "break a stale deploy lock (say whose it was)", add_unlock_options,
                   run_unlock),
      make_command("inventory", "list the fleet: hosts, instances, bots, SSM state",
                   add_inventory_options, run_inventory),
  };
  return kCommands;
}

}  // namespace drover::cli
