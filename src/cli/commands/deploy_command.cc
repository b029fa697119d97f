#include "cli/commands/deploy_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>

#include "cli/commands/deploy_choice.h"
#include "cli/commands/fleet_estimate.h"
#include "cli/commands/plan_execution.h"
#include "cli/state/deploy_journal.h"
#include "core/deploy_id.h"
#include "core/image_reference.h"
#include "core/input_error.h"

namespace drover::cli {
namespace {

using core::ExitCode;

// The digest every host will run, whatever the tag does during the rollout.
// A digest given by the operator is checked too: the registry must have it (issue 13).
void pin_image(core::DeployPlan& plan, const DroverConfig& config, CliWorld& world) {
  auto ref = core::parse_image_reference(plan.image);
  plan.pinned_image = ref.pinned(world.resolve_digest(ref, config.aws));
}

int resume(const DeployRequest& request, const DroverConfig& config, CliWorld& world) {
  auto state = StateDir::open_for(world.env, config.fleet);
  auto stored = load_deploy(state, *request.resume);
  auto plan = stored.replay.plan;
  auto to_do = stored.replay.hosts_to_resume();
  std::vector<core::HostSelection> resumed_hosts;
  for (const auto& host : plan.selection.hosts) {
    if (std::find(to_do.begin(), to_do.end(), host.name) != to_do.end()) {
      resumed_hosts.push_back(host);
    }
  }
  auto notifier = make_notifier(config, world);
  auto transport = world.make_transport(config);
  const bool clear = preflight_passes(plan, resumed_hosts, request.allow_drift, *transport);
  auto view = make_command_view(request.json, request.color, world);
  view->plan(plan);
  view->notice(fmt::format("resuming {} {}: {} of {} host(s) left to do",
                           plan.is_rollback() ? "rollback" : "deploy", plan.deploy_id, to_do.size(),
                           plan.selection.hosts.size()));
  if (!clear) return refuse_drift(plan, world);
  if (request.dry_run) return end_dry_run(*view);
  if (!confirmed(plan, request.yes, world)) return core::to_int(ExitCode::refused);
  auto lock = take_lock(config, plan, world);
  auto journal = DeployJournal::reopen(state, plan.deploy_id);
  return run_plan(plan,
                  {stored.replay.succeeded_hosts, true, request.straggler_wait_seconds, lock.get(),
                   transport.get()},
                  journal, config, *view, *notifier, world);
}

}  // namespace

void add_deploy_options(CLI::App& subcommand, DeployRequest& request) {
  subcommand.add_option("words", request.words,
                        "[staging|bot|all] [routine|fast|immediate] [BOT_ID] [IMAGE_REF]");
  subcommand.add_flag("-y,--yes", request.yes, "skip the confirmation (automation)");
  subcommand.add_flag("--json", request.json, "one JSON event per line on stdout");
  add_color_option(subcommand, request.color);
  subcommand.add_flag("--dry-run", request.dry_run, "show the plan and stop");
  add_text_option(subcommand, "--resume", request.resume,
                  "deploy only the hosts an earlier deploy did not finish");
  add_seconds_option(subcommand, "--straggler-wait", request.straggler_wait_seconds,
                     core::kMaxStragglerWaitSeconds,
                     "seconds to wait for login stragglers, 0 to 3600 (60)");
  subcommand.add_flag("--allow-drift", request.allow_drift,
                      "deploy even to hosts running another drover-agent build, or none");
  add_fleet_options(subcommand, request.fleet);
}

int run_deploy(const DeployRequest& request, CliWorld& world) {
  auto config = load_fleet_config(request.fleet, world);
  if (request.resume) return resume(request, config, world);

  auto words = parse_deploy_words(request.words);
  auto chosen = choose_deploy(words, config, request.yes, world);
  auto plan = core::make_plan(config.fleet, chosen.target, chosen.speed, config.speeds,
                              chosen.image, core::make_deploy_id(world.random), world.now_utc());
  add_measured_estimate(plan, config, world);
  pin_image(plan, config, world);
  auto notifier = make_notifier(config, world);
  auto transport = world.make_transport(config);
  const bool clear = preflight_passes(plan, plan.selection.hosts, request.allow_drift, *transport);
  auto view = make_command_view(request.json, request.color, world);
  view->plan(plan);
  if (!clear) return refuse_drift(plan, world);
  if (request.dry_run) return end_dry_run(*view);
  if (!confirmed(plan, request.yes, world)) return core::to_int(ExitCode::refused);

  auto state = StateDir::open_for(world.env, config.fleet);
  auto lock = take_lock(config, plan, world);
  auto journal =
      DeployJournal::create(state, plan, {world.operator_identity().holder(), world.command_line});
  return run_plan(plan, {{}, false, request.straggler_wait_seconds, lock.get(), transport.get()},
                  journal, config, *view, *notifier, world);
}

}  // namespace drover::cli
