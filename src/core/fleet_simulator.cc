#include "core/fleet_simulator.h"

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

#include "core/rollout_order.h"
#include "core/rollout_scheduler.h"
#include "core/sim_transport.h"
#include "core/start_slots.h"
#include "core/virtual_clock.h"

namespace drover::core {
namespace {

// The nearest-rank percentile p (0 < p ≤ 1) of `values`, which it sorts; 0 when empty.
template <typename T>
T percentile(std::vector<T>& values, double p) {
  if (values.empty()) return T{};
  std::sort(values.begin(), values.end());
  auto rank = static_cast<std::size_t>(p * static_cast<double>(values.size()) + 0.999999);
  rank = std::clamp<std::size_t>(rank, 1, values.size());
  return values[rank - 1];
}

using BotCounts = std::unordered_map<HostName, std::size_t>;

BotCounts bot_counts(const SimulationSetup& setup) {
  BotCounts bots;
  bots.reserve(setup.hosts.size());
  for (const auto& host : setup.hosts) bots.emplace(host.name, host.bots.size());
  return bots;
}

SimulatedRun run_once(const SimulationSetup& setup, const BotCounts& bots, Random& random) {
  VirtualClock clock;
  const TimePoint start = clock.now();
  RolloutScheduler scheduler(rollout_options_for(setup.hosts, setup.settings, {}, random), clock);
  SimTransport hosts(setup.model, random);
  SimulatedRun run;
  std::vector<BotStart> starts;
  starts.reserve(setup.hosts.size());

  while (!scheduler.done()) {
    for (const auto& host : scheduler.next_to_start()) {
      hosts.start(host, clock.now());
      const auto bot_count = bots.at(host);
      if (!setup.model.has_login_times()) {
        starts.push_back({clock.now() - start, bot_count});
        continue;
      }
      for (std::size_t bot = 0; bot < bot_count; ++bot) {
        starts.push_back({clock.now() - start + setup.model.draw_login_after(random), 1});
      }
    }
    run.peak_in_flight = std::max(run.peak_in_flight, scheduler.in_flight());
    if (scheduler.done()) break;
    const auto slot = scheduler.until_next_slot();
    const auto finish = hosts.next_finish();
    if (finish && (!slot || *finish <= clock.now() + *slot)) {
      clock.advance(*finish - clock.now());
      for (auto& finished : hosts.finish_due(clock.now())) {
        const bool was_halted = scheduler.halted();
        if (!finished.outcome.ok()) ++run.failed;
        scheduler.on_finished(finished.host, std::move(finished.outcome));
        if (!was_halted && scheduler.halted()) {
          run.halted_at = clock.now() - start;
          run.finished_at_halt = scheduler.progress().finished;
        }
      }
    } else if (slot && slot->count() > 0) {
      clock.advance(*slot);
    } else {
      // Nothing in flight, and a slot that has come but started nothing: the scheduler and
      // this loop disagree, which would otherwise spin for ever.
      throw std::logic_error("simulated rollout made no progress");
    }
  }
  run.makespan = clock.now() - start;
  run.not_started = scheduler.result().not_started.size();
  run.peak_logins = peak_bots_per_window(std::move(starts));
  return run;
}

}  // namespace

SimulatedRun simulate_rollout(const SimulationSetup& setup, Random& random) {
  return run_once(setup, bot_counts(setup), random);
}

SimulationSummary simulate_many(const SimulationSetup& setup, std::size_t runs, Random& random) {
  SimulationSummary summary;
  summary.runs = std::max<std::size_t>(runs, 1);
  std::vector<Duration> makespans;
  std::vector<std::size_t> peaks;
  std::vector<Duration> halted_at;
  std::vector<std::size_t> finished_at_halt;
  const auto bots = bot_counts(setup);
  for (std::size_t i = 0; i < summary.runs; ++i) {
    const auto run = run_once(setup, bots, random);
    makespans.push_back(run.makespan);
    peaks.push_back(run.peak_logins);
    summary.peak_logins_max = std::max(summary.peak_logins_max, run.peak_logins);
    summary.peak_in_flight_max = std::max(summary.peak_in_flight_max, run.peak_in_flight);
    if (run.halted_at) {
      ++summary.halted_runs;
      halted_at.push_back(*run.halted_at);
      finished_at_halt.push_back(run.finished_at_halt);
    }
  }
  summary.makespan_p50 = percentile(makespans, 0.5);
  summary.makespan_p90 = percentile(makespans, 0.9);
  summary.peak_logins_p50 = percentile(peaks, 0.5);
  summary.halted_at_p50 = percentile(halted_at, 0.5);
  summary.finished_at_halt_p50 = percentile(finished_at_halt, 0.5);
  return summary;
}

}  // namespace drover::core
