#pragma once
// Drives core's RolloutScheduler with a real transport: the hosts that start together go to
// the transport's call group when it has one (ssm: few commands, polled from this thread, no
// thread per host), else each runs its agent on a worker of a pool the size of the scheduler's
// window, at most 256 (util/worker_pool.h); finished hosts are
// fed back to the scheduler, the view ticks about once a second, and an operator interrupt
// (Ctrl-C) stops new starts while in-flight hosts finish; a second one hands the result, with
// the hosts in flight not waited for, to on_abandon. With a storm window (jitter) or a login
// cap, each host gets a start slot drawn with `random` (core/start_slots.h) and the loop wakes
// for each slot; a host whose slot has not come when Ctrl-C arrives never starts. When
// on_hosts_finished throws (the journal cannot be written), no new host starts either; the hosts
// in flight finish and are handed to on_hosts_finished too, then the first exception is
// rethrown. A transport that throws (a bug) ends the rollout with that exception once the hosts
// in flight have finished.
#include <atomic>
#include <functional>
#include <set>
#include <vector>

#include "cli/config/drover_toml.h"
#include "cli/view/rollout_view.h"
#include "core/deploy_plan.h"
#include "core/rollout_result.h"
#include "core/transport.h"
#include "util/clock.h"
#include "util/random.h"

namespace drover::cli {

struct RolloutDriverContext {
  core::Transport& transport;
  Clock& clock;
  Random& random;  // the order of the start slots
  RolloutView& view;
  const std::atomic<bool>& interrupt_requested;
  /// The journal: the hosts that finished together (one, or with a call group as many as one
  /// poll saw end), before the view shows them.
  std::function<void(const std::vector<core::HostRecord>&)> on_hosts_finished;
  /// Once, when the error halt or the operator's interrupt starts holding hosts back (with the
  /// status it will end in and where the rollout stands): the notifications.
  std::function<void(core::RolloutStatus, const core::RolloutProgress&)> on_stopping;
  /// Set by a second interrupt: stop waiting for the hosts in flight.
  const std::atomic<bool>* abandon_requested = nullptr;
  /// Called (from the driver's loop, with the pool still running the hosts in flight) with
  /// the interrupted result naming them in not_waited_for. It records the result and ends
  /// the process; the rollout cannot return while a host is in flight, so when it does
  /// return, it must throw.
  std::function<void(const core::RolloutResult&)> on_abandon;
};

core::RolloutResult drive_rollout(const core::DeployPlan& plan, const DroverConfig& config,
                                  const std::set<core::HostName>& already_done,
                                  RolloutDriverContext& ctx);

}  // namespace drover::cli
