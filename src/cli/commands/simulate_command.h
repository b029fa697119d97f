#pragma once
// `drover simulate [target] [speed] [BOT_ID] [--runs N] [--seed S] [--failure-rate P]`: what a
// deploy of this fleet would do, without touching a host. The target and speed are the
// deploy's words, validated and prompted for the same way; the real rollout scheduler then runs
// N times against the sim transport on a virtual clock (core/fleet_simulator.h), with per-host
// swap times and the failure rate from this fleet's journals at that speed, or from the speed's
// settings when it has none. It prints the makespan (p50/p90), the peak bot logins in any
// second, the peak hosts in flight, and when the error halt fires; the seed, so a run can be
// repeated. Exit codes: 0 printed; 2 bad arguments or configuration; 9 the state directory
// could not be read.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands/command.h"

namespace drover::cli {

inline constexpr std::size_t kDefaultSimulatedRuns = 200;
inline constexpr std::size_t kMaxSimulatedRuns = 100000;

struct SimulateRequest {
  std::vector<std::string> words;  // [target] [speed] [bot id]
  std::size_t runs = kDefaultSimulatedRuns;
  std::optional<std::uint64_t> seed;   // absent: drawn, and printed
  std::optional<double> failure_rate;  // absent: the history's (or 0 without history)
  FleetOptions fleet;
};

void add_simulate_options(CLI::App& subcommand, SimulateRequest& request);

int run_simulate(const SimulateRequest& request, CliWorld& world);

/// "0.05", "5%", "0" → the fraction; throws core::InputError naming --failure-rate otherwise.
double parse_failure_rate(const std::string& text);

}  // namespace drover::cli
