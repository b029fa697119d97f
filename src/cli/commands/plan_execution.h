#pragma once
// What `drover deploy`, `drover deploy --resume` and `drover rollback` share once their plan
// is made, so a rollback has exactly a deploy's safeguards: the drift preflight, the one
// confirmation, the fleet's lock, and the run under it: the notifications, the rollout with
// its error halt and Ctrl-C, verification before the result line, the straggler retry, the
// journal's records, and the exit code.
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "cli/cli_world.h"
#include "cli/lock/fleet_lock.h"
#include "cli/notify/webhook_notifier.h"
#include "cli/state/deploy_journal.h"
#include "cli/view/rollout_view.h"
#include "core/deploy_plan.h"
#include "core/transport.h"

namespace drover::cli {

/// The drift guard, before anything is touched: which agent build each of `hosts` runs. The
/// findings go into the plan (its box shows them); false when they refuse it. `transport` is
/// the one the plan then runs on (PlanRun::transport): one per command, so what it learns once
/// (SSM's instance states) is asked once.
bool preflight_passes(core::DeployPlan& plan, const std::vector<core::HostSelection>& hosts,
                      bool allow_drift, core::Transport& transport);

/// Prints why the preflight refused the plan; returns ExitCode::needs_attention.
int refuse_drift(const core::DeployPlan& plan, CliWorld& world);

/// The one confirmation: `yes` (-y) skips it; without a terminal it is refused with a line
/// saying to pass -y. False (with the refusal printed) when the operator did not confirm.
bool confirmed(const core::DeployPlan& plan, bool yes, CliWorld& world);

/// Ends a --dry-run: says last that nothing was deployed (a plan box alone reads like the
/// start of a deploy); returns ExitCode::success.
int end_dry_run(RolloutView& view);

/// The fleet's lock, for `plan`: a file for local and ssh, a Parameter Store parameter for
/// ssm. Throws LockHeld naming the holder.
std::unique_ptr<HeldFleetLock> take_lock(const DroverConfig& config, const core::DeployPlan& plan,
                                         CliWorld& world);

/// The notifier for [notify]'s webhooks. Throws core::InputError when a url_env is not set, so
/// a command refuses before anything is touched.
std::unique_ptr<WebhookNotifier> make_notifier(const DroverConfig& config, CliWorld& world);

struct PlanRun {
  std::set<core::HostName> done;  // hosts an earlier run of the plan finished (--resume)
  bool resumed = false;
  std::optional<int> straggler_wait_seconds;
  /// The fleet's lock the caller holds: released here when a second interrupt ends drover
  /// at once (the caller's own release never runs then).
  HeldFleetLock* lock = nullptr;
  /// The transport the preflight used; the rollout and verification go through it too.
  core::Transport* transport = nullptr;
};

/// What a command throws, in a world without end_process, where a second interrupt would have
/// ended the process at once after recording the result and releasing the lock.
struct EndedAtOnce {
  int exit_code;
};

/// Runs `plan` under the lock the caller holds, journaling to `journal`; returns the exit code
/// (core::ExitCode). Notification failures are shown as warnings and never change it. A second
/// interrupt (world.abandon_requested), during the rollout or the verification after it, ends
/// drover at once: the result (hosts in flight named as not waited for) is journaled, the lock
/// released, and world.end_process(4) called.
int run_plan(const core::DeployPlan& plan, const PlanRun& run, DeployJournal& journal,
             const DroverConfig& config, RolloutView& view, WebhookNotifier& notifier,
             CliWorld& world);

}  // namespace drover::cli
