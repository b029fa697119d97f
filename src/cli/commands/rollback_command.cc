#include "cli/commands/rollback_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cli/commands/deploy_choice.h"
#include "cli/commands/fleet_estimate.h"
#include "cli/commands/plan_execution.h"
#include "cli/state/deploy_journal.h"
#include "core/deploy_id.h"
#include "core/input_error.h"
#include "core/printable_text.h"
#include "core/rollback_choice.h"
#include "core/straggler_retry.h"

namespace drover::cli {
namespace {

using core::ExitCode;

// What the rollback decides from: the journals, read whole. A journal that cannot be read
// might be the latest deploy of some bot, and deciding without it would be a guess.
std::vector<core::JournalReplay> read_history(const StateDir& state, CliWorld* warn_on) {
  auto listing = list_deploys(state);
  if (!listing.unreadable.empty()) {
    throw core::InputError(
        "rollback",
        fmt::format("{} journal(s) of fleet {} cannot be read ({}), so what ran before cannot be "
                    "known",
                    listing.unreadable.size(), state.fleet(),
                    core::printable(listing.unreadable.front())),
        "repair or move the damaged journal away, or go back to a given deploy with --to "
        "DEPLOY_ID");
  }
  for (const auto& warning : listing.warnings) {
    if (warn_on) warn_on->terminal.error("drover: warning: " + warning + "\n");
  }
  std::vector<core::JournalReplay> history;
  for (auto& deploy : listing.deploys) history.push_back(std::move(deploy.replay));
  return history;
}

// `warn_on`: where to show what was odd about the journals (null: said already).
core::RollbackSpec choose(const RollbackRequest& request, const core::Selection& selection,
                          const StateDir& state, CliWorld* warn_on) {
  if (request.to) {
    return core::choose_rollback_to(selection.bots(), load_deploy(state, *request.to).replay);
  }
  return core::choose_rollback(selection.bots(), read_history(state, warn_on));
}

// Nothing to go back to: say why for every selected bot, touch nothing.
int nothing_to_do(const core::RollbackSpec& spec, const core::Selection& selection,
                  RolloutView& view) {
  std::string text = fmt::format(
      "nothing to roll back for {}: no selected bot has a recorded "
      "digest to go back to; nothing was touched",
      core::describe_target(selection));
  for (const auto& group : spec.left_alone) {
    text += fmt::format("\n  left alone: {} bot(s): {}", group.bots.size(),
                        core::printable(group.reason));
  }
  for (const auto& bot : spec.skipped) {
    text += fmt::format("\n  skipped {}: {}", core::bot_name(bot.bot), core::printable(bot.reason));
  }
  view.notice(text);
  return core::to_int(ExitCode::success);
}

}  // namespace

void add_rollback_options(CLI::App& subcommand, RollbackRequest& request) {
  subcommand.add_option("words", request.words,
                        "[staging|bot|all] [routine|fast|immediate] [BOT_ID]");
  subcommand.add_flag("-y,--yes", request.yes, "skip the confirmation (automation)");
  add_text_option(subcommand, "--to", request.to,
                  "go back to what this deploy (or rollback) installed, instead of what ran "
                  "before the latest one");
  subcommand.add_flag("--json", request.json, "one JSON event per line on stdout");
  add_color_option(subcommand, request.color);
  subcommand.add_flag("--dry-run", request.dry_run, "show the plan and stop");
  add_seconds_option(subcommand, "--straggler-wait", request.straggler_wait_seconds,
                     core::kMaxStragglerWaitSeconds,
                     "seconds to wait for login stragglers, 0 to 3600 (60)");
  subcommand.add_flag("--allow-drift", request.allow_drift,
                      "roll back even on hosts running another drover-agent build, or none");
  add_fleet_options(subcommand, request.fleet);
}

int run_rollback(const RollbackRequest& request, CliWorld& world) {
  auto config = load_fleet_config(request.fleet, world);
  auto words = parse_deploy_words(request.words);
  if (words.image) {
    throw core::InputError(
        "rollback arguments",
        fmt::format("a rollback takes no image ('{}'): each bot goes back to the digest it ran "
                    "before",
                    core::printable(*words.image)),
        "leave it out, or go back to what a given deploy installed with --to DEPLOY_ID");
  }
  auto state = StateDir::open_for(world.env, config.fleet);
  if (request.to && !words.target) {
    // `rollback --to ID` aims at what that deploy was aimed at.
    const auto to = load_deploy(state, *request.to);
    words.target = to.replay.plan.selection.target.kind;
    if (to.replay.plan.selection.target.bot) {
      words.bot_id = std::to_string(*to.replay.plan.selection.target.bot);
    }
  }
  auto chosen = choose_target_and_speed(words, config, request.yes, world, "rollback");
  const auto selection = core::select_hosts(config.fleet, chosen.target);
  auto spec = choose(request, selection, state, &world);
  auto notifier = make_notifier(config, world);
  auto view = make_command_view(request.json, request.color, world);
  if (spec.targets.empty()) return nothing_to_do(spec, selection, *view);

  auto plan = core::make_rollback_plan(config.fleet, chosen.target, chosen.speed, config.speeds,
                                       spec, core::make_deploy_id(world.random), world.now_utc());
  add_measured_estimate(plan, config, world);
  auto transport = world.make_transport(config);
  const bool clear = preflight_passes(plan, plan.selection.hosts, request.allow_drift, *transport);
  view->plan(plan);
  if (!clear) return refuse_drift(plan, world);
  if (request.dry_run) return end_dry_run(*view);
  if (!confirmed(plan, request.yes, world)) return core::to_int(ExitCode::refused);

  auto lock = take_lock(config, plan, world);
  // Under the lock no other deploy writes a journal: what the operator confirmed must still be
  // what the journals say, or the confirmation was for another rollback.
  if (choose(request, selection, state, nullptr) != spec) {
    throw core::InputError("rollback",
                           "the fleet's journals changed while the plan was shown (another deploy "
                           "or rollback ran meanwhile); nothing was touched",
                           "run drover rollback again and check the new plan");
  }
  auto journal =
      DeployJournal::create(state, plan, {world.operator_identity().holder(), world.command_line});
  return run_plan(plan, {{}, false, request.straggler_wait_seconds, lock.get(), transport.get()},
                  journal, config, *view, *notifier, world);
}

}  // namespace drover::cli
