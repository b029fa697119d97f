#include "cli/commands/simulate_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <limits>

#include "cli/commands/deploy_choice.h"
#include "cli/commands/fleet_estimate.h"
#include "core/exit_code.h"
#include "core/fleet_simulator.h"
#include "core/input_error.h"
#include "core/measured_estimate.h"
#include "core/printable_text.h"
#include "core/speed_table.h"
#include "core/text_columns.h"
#include "util/random.h"

namespace drover::cli {
namespace {

constexpr long long kMaxSeed = std::numeric_limits<long long>::max();

std::string plural(std::size_t count, const char* word) {
  return fmt::format("{} {}{}", count, word, count == 1 ? "" : "s");
}

std::string percent(double fraction) {
  return fmt::format("{:.1f}%", fraction * 100.0);
}

std::string source_row(const core::SpeedHistory* history, core::SpeedName speed) {
  if (history == nullptr) return "speed settings (no history)";
  // Without recorded login times a host's bots count as logging in at its start: say so,
  // since the peak then ignores how pulls and stops spread the logins.
  return fmt::format("history: {} / {} / {} at {}", plural(history->deploys, "deploy"),
                     plural(history->host_records(), "host record"),
                     history->login_after.empty()
                         ? std::string("no bot login times")
                         : plural(history->login_after.size(), "bot login"),
                     core::to_string(speed));
}

std::string halt_row(const core::SpeedSettings& settings, const core::SimulationSummary& s,
                     std::size_t hosts) {
  if (settings.halt.is_never()) return "never (this speed has no error halt)";
  const auto tolerated = settings.halt.tolerated_failures(hosts);
  const auto rule = fmt::format("at failure {} of {} hosts", tolerated + 1, hosts);
  if (s.halted_runs == 0) return fmt::format("did not fire in any run ({})", rule);
  return fmt::format("fired in {} of {} runs ({}): p50 at {}, {} hosts done", s.halted_runs, s.runs,
                     percent(s.halted_fraction()), core::format_span(s.halted_at_p50),
                     s.finished_at_halt_p50);
}

}  // namespace

double parse_failure_rate(const std::string& text) {
  const auto fix = std::string("give a fraction from 0 to 1 or a percentage, e.g. 0.05 or 5%");
  const bool is_percent = !text.empty() && text.back() == '%';
  const std::string number = is_percent ? text.substr(0, text.size() - 1) : text;
  double value = 0.0;
  const auto* end = number.data() + number.size();
  const auto [stop, error] = std::from_chars(number.data(), end, value);
  if (number.empty() || stop != end || error != std::errc() || !std::isfinite(value)) {
    throw core::InputError(
        "--failure-rate",
        fmt::format("'{}' is not a failure rate", core::printable(text, core::kQuotedBytes)), fix);
  }
  if (is_percent) value /= 100.0;
  if (value < 0.0 || value > 1.0) {
    throw core::InputError(
        "--failure-rate",
        fmt::format("{} is out of range", core::printable(text, core::kQuotedBytes)), fix);
  }
  return value;
}

void add_simulate_options(CLI::App& subcommand, SimulateRequest& request) {
  subcommand.add_option("words", request.words,
                        "[staging|bot|all] [routine|fast|immediate] [BOT_ID]");
  add_count_option(
      subcommand, "--runs", request.runs, 1, kMaxSimulatedRuns,
      fmt::format("simulated rollouts, 1 to {} ({})", kMaxSimulatedRuns, kDefaultSimulatedRuns));
  subcommand.add_option_function<std::string>(
      "--seed",
      [&request](const std::string& text) {
        request.seed = static_cast<std::uint64_t>(parse_option_number("--seed", text, 0, kMaxSeed));
      },
      "repeat the runs of an earlier simulation (it prints its seed)");
  subcommand.add_option_function<std::string>(
      "--failure-rate",
      [&request](const std::string& text) { request.failure_rate = parse_failure_rate(text); },
      "share of hosts whose swap fails, 0.05 or 5% (else the history's)");
  add_fleet_options(subcommand, request.fleet);
}

int run_simulate(const SimulateRequest& request, CliWorld& world) {
  auto config = load_fleet_config(request.fleet, world);
  auto words = parse_deploy_words(request.words);
  if (words.image) {
    throw core::InputError("simulate arguments",
                           fmt::format("a simulation takes no image ('{}')",
                                       core::printable(*words.image, core::kQuotedBytes)),
                           "give the target and speed only: drover simulate all routine");
  }
  const auto chosen = choose_target_and_speed(words, config, false, world, "simulate");
  const auto selection = core::select_hosts(config.fleet, chosen.target);
  const auto& settings = config.speeds[chosen.speed];

  const auto history = load_fleet_history(config, world);
  const core::SpeedHistory* recorded = history.of(chosen.speed);
  core::SimulationSetup setup{selection.hosts, settings,
                              recorded ? core::time_model_from_history(*recorded)
                                       : core::time_model_from_settings(settings)};
  if (request.failure_rate) setup.model.failure_rate = *request.failure_rate;

  const std::uint64_t seed =
      request.seed ? *request.seed : static_cast<std::uint64_t>(world.random.uniform(0, kMaxSeed));
  SeededRandom random(seed);
  const auto summary = core::simulate_many(setup, request.runs, random);

  const auto hosts = selection.hosts.size();
  std::vector<std::vector<std::string>> rows = {
      {"Source", source_row(recorded, chosen.speed)},
      {"Makespan", fmt::format("p50 {}, p90 {}", core::format_span(summary.makespan_p50),
                               core::format_span(summary.makespan_p90))},
      {"Peak logins", fmt::format("{} bots in one second (p50; {} at most)",
                                  summary.peak_logins_p50, summary.peak_logins_max)},
      {"Peak in flight", fmt::format("{} of {} hosts", summary.peak_in_flight_max, hosts)},
      {"Failure rate", fmt::format("{} of hosts{}", percent(setup.model.failure_rate),
                                   request.failure_rate ? " (--failure-rate)"
                                   : recorded           ? " (recorded)"
                                                        : "")},
      {"Error halt", halt_row(settings, summary, hosts)},
      {"Seed", fmt::format("{} (--seed {} repeats these runs)", seed, seed)},
  };
  std::string out = fmt::format("simulated {} of {} {}: {} ({}, ~{} bots), nothing deployed\n",
                                plural(summary.runs, "rollout"), core::describe_target(selection),
                                core::to_string(chosen.speed), config.fleet.name(),
                                plural(hosts, "host"), selection.bot_count());
  out += core::render_columns(rows, "  ", 2);
  world.terminal.print(out);
  return core::to_int(core::ExitCode::success);
}

}  // namespace drover::cli
