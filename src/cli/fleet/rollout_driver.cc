#include "cli/fleet/rollout_driver.h"

#include <fmt/format.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>

#include "cli/fleet/agent_calls.h"
#include "core/rollout_scheduler.h"
#include "util/worker_pool.h"

namespace drover::cli {
namespace {

// Finished hosts, handed from the workers to the driver's loop. A transport that throws (a
// bug: transports report failures as results) hands over its exception instead.
struct FinishedHost {
  core::HostName host;
  SwapHostResult swap;
  std::exception_ptr failure;
};

class FinishedQueue {
 public:
  void push(FinishedHost item) {
    {
      std::lock_guard lock(mutex_);
      items_.push_back(std::move(item));
    }
    ready_.notify_one();
  }
  /// Waits up to `timeout` for one finished host.
  std::optional<FinishedHost> pop(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!ready_.wait_for(lock, timeout, [&] { return !items_.empty(); })) return std::nullopt;
    auto item = std::move(items_.front());
    items_.pop_front();
    return item;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<FinishedHost> items_;
};

}  // namespace

core::RolloutResult drive_rollout(const core::DeployPlan& plan, const DroverConfig& config,
                                  const std::set<core::HostName>& already_done,
                                  RolloutDriverContext& ctx) {
  std::map<core::HostName, core::HostSelection> selections;
  core::RolloutOptions options;
  for (const auto& host : plan.selection.hosts) {
    selections[host.name] = host;
    options.hosts.push_back(host.name);
  }
  options.concurrency = plan.settings.concurrency;
  options.halt = plan.settings.halt;
  options.already_done = already_done;
  core::RolloutScheduler scheduler(options, ctx.clock);

  // Declared before the pool: the pool's destructor lets in-flight calls finish, and they
  // still hand their result over.
  FinishedQueue finished;
  // The scheduler never has more than its window in flight, so a pool that size never keeps
  // a started host waiting, and a 10,000-host plan holds the window's threads, not 10,000.
  WorkerPool workers(scheduler.window());
  std::map<core::HostName, TimePoint> started_at;
  bool interrupt_seen = false;
  bool stop_reported = false;
  // Tells on_stopping once, and only when the stop holds a host back.
  auto report_stop = [&](core::RolloutStatus status) {
    if (stop_reported || !ctx.on_stopping || scheduler.result().not_started.empty()) return;
    stop_reported = true;
    ctx.on_stopping(status, scheduler.progress());
  };
  while (!scheduler.done()) {
    if (ctx.interrupt_requested && !interrupt_seen) {
      interrupt_seen = true;
      scheduler.interrupt();
      ctx.view.notice(fmt::format(
          "interrupted: no new host will start; waiting for the {} host(s) in flight to finish "
          "(their swaps are rollback-safe and are not aborted)",
          scheduler.in_flight()));
      report_stop(core::RolloutStatus::interrupted);
    }
    for (const auto& name : scheduler.next_to_start()) {
      ctx.view.host_started(name);
      started_at[name] = ctx.clock.now();
      workers.submit([&, host = selections.at(name)] {
        try {
          auto result = ctx.transport.run_agent(host_of(host), swap_call(plan, host, config));
          finished.push({host.name, read_swap_result(result, host.bots), nullptr});
        } catch (...) {
          finished.push({host.name, {}, std::current_exception()});
        }
      });
    }
    if (scheduler.done()) break;
    if (auto item = finished.pop(std::chrono::milliseconds(1000))) {
      if (item->failure) std::rethrow_exception(item->failure);
      scheduler.on_finished(item->host, item->swap.outcome);
      core::HostRecord record{item->host, item->swap.outcome,
                              ctx.clock.now() - started_at[item->host], item->swap.bots};
      if (ctx.on_host_finished) ctx.on_host_finished(record);
      ctx.view.host_finished(record, scheduler.progress());
      if (scheduler.halted()) report_stop(core::RolloutStatus::halted);
    } else {
      ctx.view.tick(scheduler.progress());
    }
  }
  return scheduler.result();
}

}  // namespace drover::cli
