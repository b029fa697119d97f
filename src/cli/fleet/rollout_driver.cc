#include "cli/fleet/rollout_driver.h"

#include <fmt/format.h>

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "cli/fleet/agent_calls.h"
#include "core/rollout_scheduler.h"

namespace drover::cli {
namespace {

// Finished hosts, handed from the agent threads to the driver's loop.
class FinishedQueue {
 public:
  void push(core::HostName host, core::HostOutcome outcome) {
    {
      std::lock_guard lock(mutex_);
      items_.emplace_back(std::move(host), std::move(outcome));
    }
    ready_.notify_one();
  }
  /// Waits up to `timeout` for one finished host.
  std::optional<std::pair<core::HostName, core::HostOutcome>> pop(
      std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!ready_.wait_for(lock, timeout, [&] { return !items_.empty(); })) return std::nullopt;
    auto item = std::move(items_.front());
    items_.pop_front();
    return item;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::pair<core::HostName, core::HostOutcome>> items_;
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

  FinishedQueue finished;
  std::map<core::HostName, TimePoint> started_at;
  std::vector<std::jthread> workers;
  bool interrupt_seen = false;
  while (!scheduler.done()) {
    if (ctx.interrupt_requested && !interrupt_seen) {
      interrupt_seen = true;
      scheduler.interrupt();
      ctx.view.notice(fmt::format(
          "interrupted: no new host will start; waiting for the {} host(s) in flight to finish "
          "(their swaps are rollback-safe and are not aborted)",
          scheduler.in_flight()));
    }
    for (const auto& name : scheduler.next_to_start()) {
      ctx.view.host_started(name);
      started_at[name] = ctx.clock.now();
      workers.emplace_back([&, host = selections.at(name)] {
        auto result = ctx.transport.run_agent(host_of(host), swap_call(plan, host, config));
        finished.push(host.name, swap_host_outcome(result, host.bots));
      });
    }
    if (scheduler.done()) break;
    if (auto item = finished.pop(std::chrono::milliseconds(1000))) {
      scheduler.on_finished(item->first, item->second);
      core::HostRecord record{item->first, item->second, ctx.clock.now() - started_at[item->first]};
      if (ctx.on_host_finished) ctx.on_host_finished(record);
      ctx.view.host_finished(record, scheduler.progress());
    } else {
      ctx.view.tick(scheduler.progress());
    }
  }
  return scheduler.result();
}

}  // namespace drover::cli
