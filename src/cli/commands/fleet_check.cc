#include "cli/commands/fleet_check.h"

#include "cli/commands/deploy_words.h"
#include "core/exit_code.h"
#include "core/input_error.h"
#include "core/printable_text.h"

namespace drover::cli {

core::Selection fleet_check_selection(const std::vector<std::string>& words,
                                      const core::Fleet& fleet, const std::string& command) {
  const std::string where = command + " arguments";
  const std::string usage = "drover " + command + " [staging|bot|all] [BOT_ID]";
  auto parsed = parse_deploy_words(words);
  if (parsed.speed) throw core::InputError(where, command + " takes no speed", usage);
  if (parsed.image) {
    throw core::InputError(
        where,
        command + " takes no image (" + core::printable(*parsed.image, core::kQuotedBytes) + ")",
        usage);
  }
  const auto kind = parsed.target.value_or(core::TargetKind::all);
  if (kind == core::TargetKind::bot) {
    if (!parsed.bot_id) {
      throw core::InputError(where, "target bot needs a bot id",
                             "pass it: drover " + command + " bot 539");
    }
    return core::select_hosts(fleet,
                              core::Target::single_bot(fleet.parse_fleet_bot_id(*parsed.bot_id)));
  }
  if (parsed.bot_id) {
    throw core::InputError(
        where,
        "a bot id (" + core::printable(*parsed.bot_id, core::kQuotedBytes) +
            ") only goes with target bot",
        "use: drover " + command + " bot " + core::printable(*parsed.bot_id, core::kQuotedBytes));
  }
  return core::select_hosts(
      fleet, kind == core::TargetKind::all ? core::Target::all() : core::Target::staging());
}

void announce(CliWorld& world, const std::string& text) {
  if (world.terminal.interactive()) world.terminal.error(text + "\n");
}

int fleet_check_exit_code(bool all_fine) {
  return core::to_int(all_fine ? core::ExitCode::success : core::ExitCode::needs_attention);
}

}  // namespace drover::cli
