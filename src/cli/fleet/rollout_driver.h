#pragma once
// Drives core's RolloutScheduler with a real transport: each started host runs its agent on a
// worker of a pool the size of the scheduler's window (util/worker_pool.h), finished hosts are
// fed back to the scheduler, the view ticks about once a second, and an operator interrupt
// (Ctrl-C) stops new starts while in-flight hosts finish. A transport that throws (a bug) ends
// the rollout with that exception once the hosts in flight have finished.
#include <atomic>
#include <functional>
#include <set>

#include "cli/config/drover_toml.h"
#include "cli/view/rollout_view.h"
#include "core/deploy_plan.h"
#include "core/rollout_result.h"
#include "core/transport.h"
#include "util/clock.h"

namespace drover::cli {

struct RolloutDriverContext {
  core::Transport& transport;
  Clock& clock;
  RolloutView& view;
  const std::atomic<bool>& interrupt_requested;
  std::function<void(const core::HostRecord&)> on_host_finished;  // the journal
  /// Once, when the error halt or the operator's interrupt starts holding hosts back (with the
  /// status it will end in and where the rollout stands): the notifications.
  std::function<void(core::RolloutStatus, const core::RolloutProgress&)> on_stopping;
};

core::RolloutResult drive_rollout(const core::DeployPlan& plan, const DroverConfig& config,
                                  const std::set<core::HostName>& already_done,
                                  RolloutDriverContext& ctx);

}  // namespace drover::cli
