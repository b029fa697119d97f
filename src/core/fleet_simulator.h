#pragma once
// The fleet simulator: runs the real rollout scheduler (rollout_scheduler.h, with the real
// start slots and error halt, via rollout_order.h) against the sim transport (sim_transport.h)
// on a virtual clock, many times, and sums up what an operator wants to know before pressing
// enter: how long the rollout takes (p50/p90), the login storm's peak, how many hosts are in
// flight at once, and when the error halt fires at a given failure rate.
//
// One run: the clock starts at 0; whenever the scheduler has hosts to start they start; then
// the clock moves to the earliest of the next host's finish and the next start slot, finished
// hosts are reported, and so on until the scheduler is done. No sleeping, no threads.
// Logins: with history, each bot logs in at its host's start plus a recorded bot's login time
// (drawn per bot: pulls and stops vary, which spreads or bunches the storm); without, a host's
// bots count as logging in when its swap starts. The peak is the most bots in any 1 s window
// (start_slots.h, peak_bots_per_window).
// Deterministic: the same setup and the same Random sequence give the same runs.
#include <cstddef>
#include <optional>
#include <vector>

#include "core/host_time_model.h"
#include "core/speed_settings.h"
#include "core/target.h"
#include "util/clock.h"
#include "util/random.h"

namespace drover::core {

struct SimulationSetup {
  std::vector<HostSelection> hosts;  // the plan's hosts, each once
  SpeedSettings settings;
  HostTimeModel model;
};

struct SimulatedRun {
  Duration makespan{0};  // from the first start until nothing is in flight
  std::size_t peak_logins = 0;
  std::size_t peak_in_flight = 0;
  std::size_t failed = 0;
  std::size_t not_started = 0;        // held back by the error halt
  std::optional<Duration> halted_at;  // when the error halt fired
  std::size_t finished_at_halt = 0;   // hosts finished when it fired (the failing one included)
};

SimulatedRun simulate_rollout(const SimulationSetup& setup, Random& random);

struct SimulationSummary {
  std::size_t runs = 0;
  Duration makespan_p50{0};
  Duration makespan_p90{0};
  std::size_t peak_logins_p50 = 0;
  std::size_t peak_logins_max = 0;
  std::size_t peak_in_flight_max = 0;
  std::size_t halted_runs = 0;
  // Over the runs that halted (0 when none did):
  Duration halted_at_p50{0};
  std::size_t finished_at_halt_p50 = 0;

  double halted_fraction() const {
    return runs == 0 ? 0.0 : static_cast<double>(halted_runs) / static_cast<double>(runs);
  }
};

/// `runs` runs (at least 1) of `setup`, each with its own random start order and draws.
SimulationSummary simulate_many(const SimulationSetup& setup, std::size_t runs, Random& random);

}  // namespace drover::core
