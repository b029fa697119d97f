#include "cli/commands/plan_execution.h"

#include <fmt/format.h>

#include <stdexcept>

#include "cli/commands/deploy_choice.h"
#include "cli/commands/fleet_services.h"
#include "cli/fleet/agent_versions.h"
#include "cli/fleet/rollout_driver.h"
#include "cli/fleet/verify_driver.h"
#include "cli/state/storage_error.h"
#include "core/agent_drift.h"
#include "core/confirmation.h"
#include "core/deploy_exit_code.h"
#include "core/deploy_notification.h"
#include "core/printable_text.h"
#include "core/verified_result.h"

namespace drover::cli {

using core::ExitCode;

bool preflight_passes(core::DeployPlan& plan, const std::vector<core::HostSelection>& hosts,
                      bool allow_drift, core::Transport& transport) {
  plan.agent_preflight = core::make_preflight(check_agent_versions(hosts, transport), allow_drift);
  if (plan.agent_preflight->blocks()) {
    return false;
  }
  // Deploying over other agent builds: theirs may not read what this build's agent does.
  auto others = plan.agent_preflight->drifted;
  others.insert(others.end(), plan.agent_preflight->missing.begin(),
                plan.agent_preflight->missing.end());
  if (!others.empty()) {
    transport.expect_other_agent_builds(others);
  }
  return true;
}

int refuse_drift(const core::DeployPlan& plan, CliWorld& world) {
  world.terminal.error("drover: error: " + core::preflight_refusal(*plan.agent_preflight) + "\n");
  return core::to_int(ExitCode::needs_attention);
}

bool confirmed(const core::DeployPlan& plan, bool yes, CliWorld& world) {
  if (yes) return true;
  if (!world.terminal.interactive()) {
    world.terminal.error(
        "drover: error: confirmation: there is no terminal to confirm the plan on (pass -y to "
        "go ahead without the prompt, e.g. from automation)\n");
    return false;
  }
  auto answer = world.terminal.ask(core::confirmation_prompt(plan));
  if (answer && core::confirmation_accepted(plan, *answer)) return true;
  world.terminal.error(core::refusal_message(plan, answer.value_or("")) + "\n");
  return false;
}

int end_dry_run(RolloutView& view) {
  view.notice(
      "dry run: nothing was deployed (no bot touched, no lock taken, no journal written); run "
      "the same command without --dry-run to deploy");
  return core::to_int(core::ExitCode::success);
}

std::unique_ptr<HeldFleetLock> take_lock(const DroverConfig& config, const core::DeployPlan& plan,
                                         CliWorld& world) {
  return make_fleet_lock(config, world)->acquire(plan.deploy_id, world.command_line);
}

std::unique_ptr<WebhookNotifier> make_notifier(const DroverConfig& config, CliWorld& world) {
  return std::make_unique<WebhookNotifier>(resolve_webhooks(config.notify, world.env),
                                           config.notify.timeout, world.http);
}

namespace {

// What to do when the journal failed mid-rollout: the swaps it could not record happened.
std::string unrecorded_fix(const std::vector<core::HostName>& hosts, const std::string& fix) {
  std::string names;
  for (const auto& host : hosts) names += (names.empty() ? "" : ", ") + core::printable(host);
  return fmt::format(
      "no new host was started; the swap of {} finished but may not be in the journal: "
      "`drover verify` shows what runs on the fleet; {}",
      names, fix);
}

}  // namespace

int run_plan(const core::DeployPlan& plan, const PlanRun& run, DeployJournal& journal,
             const DroverConfig& config, RolloutView& view, WebhookNotifier& notifier,
             CliWorld& world) {
  auto event = [&](core::DeployEventKind kind) {
    core::DeployEvent e;
    e.kind = kind;
    e.plan = &plan;
    e.operator_name = world.operator_identity().holder();
    e.at = world.now_utc();
    e.resumed = run.resumed;
    return e;
  };
  if (!run.transport) throw std::logic_error("run_plan needs the preflight's transport");
  auto& transport = *run.transport;
  notifier.send(event(core::DeployEventKind::started));
  view.started(plan.deploy_id);
  std::set<core::HostName> confirmed_hosts = run.done;  // hosts whose agent confirmed every bot
  std::vector<core::HostName> unrecorded;               // hosts the journal failed to record
  RolloutDriverContext ctx{transport,
                           world.clock,
                           world.random,
                           view,
                           world.interrupt_requested,
                           [&](const std::vector<core::HostRecord>& records) {
                             for (const auto& record : records) {
                               if (record.outcome.ok()) confirmed_hosts.insert(record.host);
                             }
                             try {
                               journal.append_hosts(records);
                             } catch (const StorageError&) {
                               for (const auto& record : records) {
                                 unrecorded.push_back(record.host);
                               }
                               throw;
                             }
                           },
                           [&](core::RolloutStatus status, const core::RolloutProgress& progress) {
                             auto stopping = event(status == core::RolloutStatus::halted
                                                       ? core::DeployEventKind::halted
                                                       : core::DeployEventKind::interrupted);
                             stopping.progress = progress;
                             notifier.send(stopping);
                           },
                           world.abandon_requested,
                           {}};
  // A second interrupt: no more waiting. What is known is recorded, the lock released, and
  // the process ended without unwinding (the pool would wait for the hosts in flight).
  auto end_at_once = [&](const core::RolloutResult& known) {
    world.terminal.end_status_line();
    view.notice(
        "interrupted again: drover stops waiting; the agents still working finish their swaps "
        "on their own (`drover verify` shows what runs)");
    view.result(known);
    constexpr auto code = ExitCode::halted;  // 4: interrupted
    try {
      journal.append(core::JournalResult{known, code, world.now_utc()});
    } catch (const StorageError& e) {
      world.terminal.error(std::string("drover: error: ") + e.what() + "\n");
    }
    if (run.lock) run.lock->release();
    if (world.end_process) world.end_process(core::to_int(code));
    throw EndedAtOnce{core::to_int(code)};
  };
  auto abandon_requested = [&] { return world.abandon_requested && *world.abandon_requested; };
  ctx.on_abandon = end_at_once;
  core::RolloutResult result;
  try {
    result = drive_rollout(plan, config, run.done, ctx);
  } catch (const StorageError& e) {
    world.terminal.end_status_line();
    throw e.with_fix(unrecorded_fix(unrecorded, e.fix()));
  }
  world.terminal.end_status_line();
  if (abandon_requested()) end_at_once(result);

  // Verification first, so the result line counts a confirmed bot found down as a failure.
  const auto expected = core::expected_images(plan);
  auto report = read_verification(plan.selection, expected, config, transport, view);
  if (abandon_requested()) end_at_once(result);
  std::vector<core::HostSelection> confirmed;
  for (const auto& host : plan.selection.hosts) {
    if (confirmed_hosts.contains(host.name)) confirmed.push_back(host);
  }
  result = core::fail_confirmed_hosts_found_down(std::move(result), confirmed, report);
  view.result(result);
  auto verified =
      report_and_retry(report, plan.selection, expected, config, transport, world.clock, view,
                       straggler_wait(run.straggler_wait_seconds), world.abandon_requested);
  if (abandon_requested()) end_at_once(result);
  journal.append(core::JournalVerification{verified.report, verified.retry});
  auto code =
      core::deploy_exit_code(result, &verified.report, verified.retry ? &*verified.retry : nullptr);
  journal.append(core::JournalResult{result, code, world.now_utc()});

  auto finished = event(core::DeployEventKind::finished);
  finished.result = result;
  finished.verification = verified.report;
  finished.retry = verified.retry;
  finished.exit_code = code;
  notifier.send(finished);
  for (const auto& failure : notifier.finish()) {
    world.terminal.error("drover: warning: notify: " + failure + "\n");
  }
  return core::to_int(code);
}

}  // namespace drover::cli
