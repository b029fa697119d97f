#include "cli/commands/deploy_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>

#include "cli/commands/deploy_choice.h"
#include "cli/fleet/agent_versions.h"
#include "cli/fleet/rollout_driver.h"
#include "cli/fleet/verify_driver.h"
#include "cli/lock/deploy_lock.h"
#include "cli/state/deploy_journal.h"
#include "core/agent_drift.h"
#include "core/confirmation.h"
#include "core/deploy_exit_code.h"
#include "core/deploy_id.h"
#include "core/image_reference.h"
#include "core/input_error.h"
#include "core/verified_result.h"

namespace drover::cli {
namespace {

using core::ExitCode;

// The digest every host will run, whatever the tag does during the rollout.
// A digest given by the operator is checked too: the registry must have it (issue 13).
void pin_image(core::DeployPlan& plan, const DroverConfig& config, CliWorld& world) {
  auto ref = core::parse_image_reference(plan.image);
  plan.pinned_image = ref.pinned(world.resolve_digest(ref, config.aws));
}

// The drift guard, before anything is touched: which agent build each host to deploy runs.
// The findings go into the plan (its box shows them); false when they refuse the deploy.
bool preflight_passes(core::DeployPlan& plan, const std::vector<core::HostSelection>& hosts,
                      const DroverConfig& config, const DeployRequest& request, CliWorld& world) {
  auto transport = world.make_transport(config);
  plan.agent_preflight =
      core::make_preflight(check_agent_versions(hosts, *transport), request.allow_drift);
  return !plan.agent_preflight->blocks();
}

int refuse_drift(const core::DeployPlan& plan, CliWorld& world) {
  world.terminal.error("drover: error: " + core::preflight_refusal(*plan.agent_preflight) + "\n");
  return core::to_int(ExitCode::needs_attention);
}

bool confirmed(const core::DeployPlan& plan, const DeployRequest& request, CliWorld& world) {
  if (request.yes) return true;
  if (!world.terminal.interactive()) {
    world.terminal.error(
        "drover: error: confirmation: there is no terminal to confirm the plan on (pass -y to "
        "deploy without the prompt, e.g. from automation)\n");
    return false;
  }
  auto answer = world.terminal.ask(core::confirmation_prompt(plan));
  if (answer && core::confirmation_accepted(plan, *answer)) return true;
  world.terminal.error(core::refusal_message(plan, answer.value_or("")) + "\n");
  return false;
}

// The rollout, verification and journal of a planned (or resumed) deploy, under the lock.
int execute(const core::DeployPlan& plan, const std::set<core::HostName>& done,
            DeployJournal& journal, const DroverConfig& config, const DeployRequest& request,
            RolloutView& view, CliWorld& world) {
  auto transport = world.make_transport(config);
  view.started(plan.deploy_id);
  std::set<core::HostName> confirmed = done;  // hosts whose agent confirmed every bot
  RolloutDriverContext ctx{*transport, world.clock, view, world.interrupt_requested,
                           [&](const core::HostRecord& record) {
                             if (record.outcome.ok()) confirmed.insert(record.host);
                             journal.append(core::JournalHost{record});
                           }};
  auto result = drive_rollout(plan, config, done, ctx);
  world.terminal.end_status_line();

  // Verification first, so the result line counts a confirmed bot found down as a failure.
  auto report = read_verification(plan.selection, plan.pinned_image, config, *transport, view);
  std::vector<core::HostSelection> confirmed_hosts;
  for (const auto& host : plan.selection.hosts) {
    if (confirmed.contains(host.name)) confirmed_hosts.push_back(host);
  }
  result = core::fail_confirmed_hosts_found_down(std::move(result), confirmed_hosts, report);
  view.result(result);
  auto verified =
      report_and_retry(report, plan.selection, plan.pinned_image, config, *transport, world.clock,
                       view, straggler_wait(request.straggler_wait_seconds));
  journal.append(core::JournalVerification{verified.report, verified.retry});
  auto code =
      core::deploy_exit_code(result, &verified.report, verified.retry ? &*verified.retry : nullptr);
  journal.append(core::JournalResult{result, code, world.now_utc()});
  return core::to_int(code);
}

// The file lock for local/ssh, the Parameter Store lock for ssm (lock/fleet_lock.h).
std::unique_ptr<HeldFleetLock> take_lock(const DroverConfig& config, const core::DeployPlan& plan,
                                         CliWorld& world) {
  return make_fleet_lock(config, world)->acquire(plan.deploy_id, world.command_line);
}

// A dry run says so last: a plan box alone reads like the start of a deploy.
int end_dry_run(RolloutView& view) {
  view.notice(
      "dry run: nothing was deployed (no bot touched, no lock taken, no journal written); run "
      "the same command without --dry-run to deploy");
  return core::to_int(ExitCode::success);
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
  const bool clear = preflight_passes(plan, resumed_hosts, config, request, world);
  auto view = make_view(output_mode(request.json, world.terminal), world.terminal);
  view->plan(plan);
  view->notice(fmt::format("resuming deploy {}: {} of {} host(s) left to deploy", plan.deploy_id,
                           to_do.size(), plan.selection.hosts.size()));
  if (!clear) return refuse_drift(plan, world);
  if (request.dry_run) return end_dry_run(*view);
  if (!confirmed(plan, request, world)) return core::to_int(ExitCode::refused);
  auto lock = take_lock(config, plan, world);
  auto journal = DeployJournal::reopen(state, plan.deploy_id);
  return execute(plan, stored.replay.succeeded_hosts, journal, config, request, *view, world);
}

}  // namespace

void add_deploy_options(CLI::App& subcommand, DeployRequest& request) {
  subcommand.add_option("words", request.words,
                        "[staging|bot|all] [routine|fast|immediate] [BOT_ID] [IMAGE_REF]");
  subcommand.add_flag("-y,--yes", request.yes, "skip the confirmation (automation)");
  subcommand.add_flag("--json", request.json, "one JSON event per line on stdout");
  subcommand.add_flag("--dry-run", request.dry_run, "show the plan and stop");
  add_text_option(subcommand, "--resume", request.resume,
                  "deploy only the hosts an earlier deploy did not finish");
  add_seconds_option(subcommand, "--straggler-wait", request.straggler_wait_seconds,
                     "seconds to wait for login stragglers (60)");
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
  pin_image(plan, config, world);
  const bool clear = preflight_passes(plan, plan.selection.hosts, config, request, world);
  auto view = make_view(output_mode(request.json, world.terminal), world.terminal);
  view->plan(plan);
  if (!clear) return refuse_drift(plan, world);
  if (request.dry_run) return end_dry_run(*view);
  if (!confirmed(plan, request, world)) return core::to_int(ExitCode::refused);

  auto state = StateDir::open_for(world.env, config.fleet);
  auto lock = take_lock(config, plan, world);
  auto journal =
      DeployJournal::create(state, plan, {world.operator_identity().holder(), world.command_line});
  return execute(plan, {}, journal, config, request, *view, world);
}

}  // namespace drover::cli
