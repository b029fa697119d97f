#include "cli/fleet/rollout_driver.h"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/fleet/agent_calls.h"
#include "core/agent_call_group.h"
#include "core/rollout_order.h"
#include "core/rollout_scheduler.h"
#include "util/worker_pool.h"

namespace drover::cli {
namespace {

// At most this many hosts' agents are called at once on threads (local, ssh).
constexpr std::size_t kMaxHostThreads = 256;
// Hosts handed to a call group in one start (a multiple of SSM's 50 instances per command).
constexpr std::size_t kHostsPerStart = 500;

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
    if (!ready_.wait_for(lock, timeout, [&] { return !items_.empty(); })) {
      return std::nullopt;
    }
    auto item = std::move(items_.front());
    items_.pop_front();
    return item;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<FinishedHost> items_;
};

// The view's output held for one turn of the driver's loop (RolloutView::hold_output): held at
// the top of a turn, released before the loop waits and when the rollout ends, however it ends.
class HeldOutput {
 public:
  explicit HeldOutput(RolloutView& view) : view_(view) {}
  ~HeldOutput() {
    try {
      release();
    } catch (...) {
      // Only the bar's redraw can be lost here: the lines were written to the stream already.
    }
  }
  HeldOutput(const HeldOutput&) = delete;
  HeldOutput& operator=(const HeldOutput&) = delete;
  void hold() {
    if (!held_) {
      view_.hold_output();
      held_ = true;
    }
  }
  void release() {
    if (held_) {
      held_ = false;
      view_.release_output();
    }
  }

 private:
  RolloutView& view_;
  bool held_ = false;
};

// The steps the hosts in flight report, handed from the workers (the transport calls
// AgentCall::on_step on the worker's thread) to the driver's loop, which passes them to the
// view in the order they came: the view is only ever called from the loop. A host reports a
// few steps per bot, so what waits here between two turns of the loop stays small.
class StepQueue {
 public:
  void report(const core::HostName& host, std::string_view step) {
    std::lock_guard lock(mutex_);
    steps_.emplace_back(host, std::string(step));
  }
  /// The steps reported since the last call, oldest first.
  std::vector<std::pair<core::HostName, std::string>> take() {
    std::lock_guard lock(mutex_);
    return std::exchange(steps_, {});
  }

 private:
  std::mutex mutex_;
  std::vector<std::pair<core::HostName, std::string>> steps_;
};

}  // namespace

core::RolloutResult drive_rollout(const core::DeployPlan& plan, const DroverConfig& config,
                                  const std::set<core::HostName>& already_done,
                                  RolloutDriverContext& ctx) {
  std::map<core::HostName, core::HostSelection> selections;
  for (const auto& host : plan.selection.hosts) {
    selections[host.name] = host;
  }
  // Storm control: with a storm window or a login cap, each host left to do gets its own start
  // slot, in a random order, and the scheduler holds it to that slot (core/start_slots.h). The
  // agent is then told no jitter (agent_calls.cc): drover does the spreading, so an interrupt
  // stops every host whose slot has not come.
  const auto options =
      core::rollout_options_for(plan.selection.hosts, plan.settings, already_done, ctx.random);
  core::RolloutScheduler scheduler(options, ctx.clock);
  // The scheduler's elapsed time counts from its construction: host start times and the stop
  // are journaled on that axis (the timeline of `drover show --html`).
  const TimePoint rollout_start = ctx.clock.now();
  std::optional<Duration> stopped_after;
  auto note_stop = [&] {
    if (!stopped_after) {
      stopped_after = ctx.clock.now() - rollout_start;
    }
  };
  auto result_so_far = [&] {
    auto result = scheduler.result();
    result.stopped_after = stopped_after;
    return result;
  };

  // Declared before the pool: the pool's destructor lets in-flight calls finish, and they
  // still hand their result over.
  FinishedQueue finished;
  StepQueue steps;
  // A transport with a call group (ssm) is followed from this thread: no thread per host.
  // Any other runs each host's agent on a worker: the scheduler never has more than its window
  // in flight, and no more than kMaxHostThreads run at once (the bounded process runner holds
  // even fewer agents), so a 10,000-host plan never holds 10,000 threads.
  auto group = ctx.transport.call_group();
  std::optional<WorkerPool> workers;
  if (!group) {
    workers.emplace(std::min(scheduler.window(), kMaxHostThreads));
  }
  std::map<core::HostName, TimePoint> started_at;
  std::set<core::HostName> finished_hosts;
  bool interrupt_seen = false;
  // The first host the journal could not record: no new host starts after it (a swap that
  // cannot be recorded is one the operator cannot learn of), and it is rethrown at the end.
  std::exception_ptr record_failure;
  bool stop_reported = false;
  // The steps of hosts still in flight; one that already finished is not shown again.
  auto show_steps = [&] {
    for (const auto& [host, step] : steps.take()) {
      if (started_at.contains(host) && !finished_hosts.contains(host)) {
        ctx.view.host_step(host, step);
      }
    }
  };
  // Tells on_stopping once, and only when the stop holds a host back.
  auto report_stop = [&](core::RolloutStatus status) {
    if (stop_reported || !ctx.on_stopping || scheduler.result().not_started.empty()) {
      return;
    }
    stop_reported = true;
    ctx.on_stopping(status, scheduler.progress());
  };
  auto see_interrupt = [&] {
    interrupt_seen = true;
    scheduler.interrupt();
    note_stop();
    ctx.view.notice(fmt::format(
        "interrupted: no new host will start; waiting for the {} host(s) in flight to finish "
        "(their swaps are rollback-safe and are not aborted)",
        scheduler.in_flight()));
    report_stop(core::RolloutStatus::interrupted);
  };
  HeldOutput output(ctx.view);
  while (!scheduler.done()) {
    output.hold();
    if (ctx.abandon_requested && *ctx.abandon_requested && ctx.on_abandon) {
      note_stop();
      auto result = result_so_far();
      result.status = core::RolloutStatus::interrupted;
      result.not_waited_for = scheduler.in_flight_hosts();
      output.release();
      ctx.on_abandon(result);
      throw std::logic_error("the rollout's on_abandon returned with hosts in flight");
    }
    if (ctx.interrupt_requested && !interrupt_seen) {
      see_interrupt();
    }
    const auto starting = scheduler.next_to_start();
    for (const auto& name : starting) {
      ctx.view.host_started(name);
      started_at[name] = ctx.clock.now();
    }
    // The hosts that start together go as few starts as their number allows (ssm sends each
    // start as commands of up to 50 instances), so that an immediate deploy to 10,000 hosts
    // never holds 10,000 swap calls at once.
    for (std::size_t begin = 0; group && begin < starting.size(); begin += kHostsPerStart) {
      const auto end = std::min(starting.size(), begin + kHostsPerStart);
      std::vector<core::Host> hosts;
      std::vector<core::AgentCall> calls;
      for (std::size_t i = begin; i < end; ++i) {
        hosts.push_back(host_of(selections.at(starting[i])));
        calls.push_back(swap_call(plan, selections.at(starting[i]), config));
      }
      output.release();  // the lines so far go out before the sends take their time
      group->start(hosts, calls);
      output.hold();
    }
    for (const auto& name : group ? std::vector<core::HostName>{} : starting) {
      workers->submit([&, host = selections.at(name)] {
        try {
          auto call = swap_call(plan, host, config);
          call.on_step = [&steps, name = host.name](std::string_view step) {
            steps.report(name, step);
          };
          auto result = ctx.transport.run_agent(host_of(host), call);
          finished.push({host.name, read_swap_result(result, host.bots), nullptr});
        } catch (...) {
          finished.push({host.name, {}, std::current_exception()});
        }
      });
    }
    if (scheduler.done()) {
      break;
    }
    // Wake for the next start slot, else about once a second for the view and Ctrl-C.
    Duration wait = std::chrono::seconds(1);
    if (const auto until_slot = scheduler.until_next_slot()) {
      wait = std::min(wait, *until_slot);
    }
    output.release();
    if (scheduler.in_flight() == 0) {
      // Nothing can finish: only the next slot can start something. Sleeping on the clock (not
      // on the queue) lets a test's virtual clock pass the storm window at once.
      ctx.clock.sleep_for(wait);
      show_steps();
      ctx.view.tick(scheduler.progress());
      continue;
    }
    std::vector<FinishedHost> ended;
    if (group) {
      auto collected = group->collect(wait);
      output.hold();
      for (auto& call : collected) {
        if (call.withdrawn) {
          // The transport saw the interrupt first (it shares the flag): the loop sees it now.
          if (!interrupt_seen) {
            see_interrupt();
          }
          scheduler.on_withdrawn(call.host);
          finished_hosts.insert(call.host);
          ctx.view.host_withdrawn(call.host, call.result.detail);
          continue;
        }
        const auto& bots = selections.at(call.host).bots;
        ended.push_back({call.host, read_swap_result(call.result, bots), nullptr});
      }
    } else if (auto item = finished.pop(wait)) {
      output.hold();
      ended.push_back(std::move(*item));
    }
    if (ended.empty()) {
      show_steps();
      ctx.view.tick(scheduler.progress());
    }
    if (ended.empty()) {
      continue;
    }
    std::vector<core::HostRecord> records;
    for (auto& item : ended) {
      if (item.failure) {
        std::rethrow_exception(item.failure);
      }
      scheduler.on_finished(item.host, item.swap.outcome);
      finished_hosts.insert(item.host);
      const TimePoint host_start = started_at[item.host];
      records.push_back({item.host, item.swap.outcome, ctx.clock.now() - host_start, item.swap.bots,
                         host_start - rollout_start});
    }
    show_steps();
    if (ctx.on_hosts_finished) {
      try {
        ctx.on_hosts_finished(records);
      } catch (...) {
        if (!record_failure) {
          record_failure = std::current_exception();
          scheduler.interrupt();
          note_stop();
          ctx.view.notice(fmt::format(
              "the journal could not record {}: no new host will start; waiting for the {} "
              "host(s) in flight to finish",
              records.front().host, scheduler.in_flight()));
        }
      }
    }
    // Hosts that ended together are counted one by one: [1/N], [2/N]... not [500/N] 500 times.
    auto shown = scheduler.progress();
    shown.finished -= records.size();
    shown.in_flight += records.size();
    shown.failed -= static_cast<std::size_t>(std::count_if(
        records.begin(), records.end(), [](const auto& record) { return !record.outcome.ok(); }));
    for (const auto& record : records) {
      ++shown.finished;
      --shown.in_flight;
      shown.failed += record.outcome.ok() ? 0 : 1;
      ctx.view.host_finished(record, shown);
    }
    if (scheduler.halted()) {
      note_stop();
      report_stop(core::RolloutStatus::halted);
    }
  }
  if (record_failure) {
    std::rethrow_exception(record_failure);
  }
  return result_so_far();
}

}  // namespace drover::cli
