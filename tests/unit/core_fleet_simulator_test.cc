// The fleet simulator: the real scheduler against the sim transport on a virtual clock.
// Deterministic with a seed; the guide's storm (534 bots on 178 hosts over 60 s) peaks at ≤ 10
// logins a second; the error halt fires at a failure rate; durations come from the history
// when there is one (a host's own first), else from the speed's settings.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "core/duration_estimate.h"
#include "core/fleet_history.h"
#include "core/fleet_simulator.h"
#include "core/history_estimate.h"
#include "core/journal_replay.h"
#include "core/sim_transport.h"
#include "core/speed_settings.h"
#include "core_test_fleets.h"
#include "util/random.h"

namespace drover::core {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

using testfleets::hosts_of;

SimulationSetup from_settings(std::size_t hosts, SpeedName speed) {
  const auto settings = default_speed_settings(speed);
  return {hosts_of(hosts), settings, time_model_from_settings(settings)};
}

// A model where every host takes exactly `took`.
HostTimeModel constant(Duration took) {
  HostTimeModel model;
  model.low = took;
  model.high = took;
  return model;
}

HostRecord record(const std::string& host, Duration took, bool ok = true) {
  return {host, ok ? HostOutcome::success() : HostOutcome::failure(FailureKind::bot_failed, "x"),
          took};
}

JournalReplay journal(SpeedName speed, std::vector<HostRecord> hosts) {
  JournalReplay replay;
  replay.plan.speed = speed;
  replay.hosts = std::move(hosts);
  return replay;
}

TEST(SeededRandom, GivesTheSameSequenceForTheSameSeedWithinTheRange) {
  SeededRandom a(42);
  SeededRandom b(42);
  SeededRandom c(43);
  bool differs = false;
  for (int i = 0; i < 1000; ++i) {
    const auto x = a.uniform(-3, 17);
    EXPECT_EQ(x, b.uniform(-3, 17));
    EXPECT_GE(x, -3);
    EXPECT_LE(x, 17);
    differs = differs || x != c.uniform(-3, 17);
  }
  EXPECT_TRUE(differs);
  EXPECT_EQ(a.uniform(5, 5), 5);
}

TEST(FleetSimulator, IsDeterministicWithASeed) {
  const auto setup = from_settings(178, SpeedName::routine);
  SeededRandom first(7);
  SeededRandom second(7);
  const auto a = simulate_many(setup, 50, first);
  const auto b = simulate_many(setup, 50, second);
  EXPECT_EQ(a.makespan_p50, b.makespan_p50);
  EXPECT_EQ(a.makespan_p90, b.makespan_p90);
  EXPECT_EQ(a.peak_logins_p50, b.peak_logins_p50);
  EXPECT_EQ(a.peak_in_flight_max, b.peak_in_flight_max);
  EXPECT_EQ(a.runs, 50u);
}

TEST(FleetSimulator, TheGuidesImmediateStormPeaksAtTenLoginsASecondAtMost) {
  // 534 bots on 178 hosts, every host at once, start slots evenly over 60 s.
  const auto setup = from_settings(178, SpeedName::immediate);
  SeededRandom random(2026);
  for (int i = 0; i < 20; ++i) {
    const auto run = simulate_rollout(setup, random);
    EXPECT_LE(run.peak_logins, 10u) << "run " << i;
    EXPECT_GE(run.peak_logins, 9u) << "534 bots in 60 s is 9 a second at best";
    EXPECT_EQ(run.failed, 0u);
    EXPECT_FALSE(run.halted_at);
    // Every host is in flight at once near the end of the window: the last starts at ~59.7 s,
    // the first (15 s + 5 s settle, no login poll) ends at 20 s at the earliest.
    EXPECT_GE(run.peak_in_flight, 50u);
    EXPECT_LE(run.makespan, seconds(60) + seconds(20));
    EXPECT_GE(run.makespan, seconds(59) + seconds(20));
  }
}

TEST(FleetSimulator, RoutineKeepsFiveHostsInFlightAndLandsInsideTheGuidesRange) {
  const auto setup = from_settings(178, SpeedName::routine);
  SeededRandom random(3);
  const auto summary = simulate_many(setup, 40, random);
  EXPECT_EQ(summary.peak_in_flight_max, 5u);
  EXPECT_EQ(summary.peak_logins_max, 15u) << "5 hosts of 3 bots start together at first";
  const auto guide = estimate_duration(setup.settings, 178);
  EXPECT_GE(summary.makespan_p50, guide.low);
  EXPECT_LE(summary.makespan_p90, guide.high);
  EXPECT_LE(summary.makespan_p50, summary.makespan_p90);
  EXPECT_EQ(summary.halted_runs, 0u);
}

TEST(FleetSimulator, ConstantDurationsGiveTheExactMakespan) {
  // 10 hosts, 5 at a time, 100 s each: two windows.
  SimulationSetup setup{hosts_of(10), default_speed_settings(SpeedName::routine),
                        constant(seconds(100))};
  SeededRandom random(1);
  const auto run = simulate_rollout(setup, random);
  EXPECT_EQ(run.makespan, seconds(200));
  EXPECT_EQ(run.peak_in_flight, 5u);
  EXPECT_EQ(run.peak_logins, 15u);
}

TEST(FleetSimulator, TheErrorHaltFiresAtAFailureRateAndHoldsTheRestBack) {
  auto setup = from_settings(178, SpeedName::routine);
  setup.model.failure_rate = 0.5;
  SeededRandom random(11);
  for (int i = 0; i < 10; ++i) {
    const auto run = simulate_rollout(setup, random);
    ASSERT_TRUE(run.halted_at) << "half the hosts failing halts every routine rollout";
    // 10 % of 178 tolerates 17 failures; the 18th halts, so at least 18 hosts had finished.
    EXPECT_GE(run.finished_at_halt, 18u);
    EXPECT_GT(run.not_started, 0u);
    EXPECT_GE(run.failed, 18u);
    EXPECT_LE(run.failed, 18u + 4u) << "only the hosts in flight at the halt can add to it";
  }
  const auto summary = simulate_many(setup, 30, random);
  EXPECT_EQ(summary.halted_runs, 30u);
  EXPECT_DOUBLE_EQ(summary.halted_fraction(), 1.0);
  EXPECT_GT(summary.halted_at_p50, Duration(0));
  EXPECT_GE(summary.finished_at_halt_p50, 18u);
}

TEST(FleetSimulator, NoFailuresNeverHaltAndImmediateNeverHaltsAtAll) {
  auto routine = from_settings(50, SpeedName::routine);
  SeededRandom random(5);
  EXPECT_EQ(simulate_many(routine, 20, random).halted_runs, 0u);
  auto immediate = from_settings(50, SpeedName::immediate);
  immediate.model.failure_rate = 1.0;
  const auto run = simulate_rollout(immediate, random);
  EXPECT_FALSE(run.halted_at);
  EXPECT_EQ(run.failed, 50u) << "every host attempted";
  EXPECT_EQ(run.not_started, 0u);
}

TEST(FleetHistory, CountsTimedHostRecordsBySpeedAndTheirFailures) {
  FleetHistory history;
  history.add(journal(SpeedName::routine,
                      {record("host-1", seconds(30)), record("host-2", seconds(40), false),
                       record("host-3", Duration(0))}));
  history.add(journal(SpeedName::routine, {record("host-1", seconds(32))}));
  history.add(journal(SpeedName::fast, {}));
  history.add(journal(SpeedName::fast, {record("host-1", Duration(0))}));

  EXPECT_EQ(history.of(SpeedName::fast), nullptr) << "no timed record at fast";
  EXPECT_EQ(history.of(SpeedName::immediate), nullptr);
  const SpeedHistory* routine = history.of(SpeedName::routine);
  ASSERT_NE(routine, nullptr);
  EXPECT_EQ(routine->deploys, 2u);
  EXPECT_EQ(routine->host_records(), 3u) << "the untimed record is left out";
  EXPECT_EQ(routine->failed, 1u);
  EXPECT_DOUBLE_EQ(routine->failure_rate(), 1.0 / 3.0);
  EXPECT_EQ(routine->took_by_host.at("host-1"), (std::vector<Duration>{seconds(30), seconds(32)}));
}

TEST(FleetHistory, KeepsEachSwappedBotsLoginAfterItsHostsStart) {
  auto host = record("host-1", seconds(30));
  BotRecord swapped{101, BotSwapOutcome::swapped, {}, "", {}};
  swapped.timings = {.pull_ms = 1500, .create_ms = 200, .stop_ms = 3000, .start_ms = 300};
  BotRecord untimed{102, BotSwapOutcome::swapped, {}, "", {}};  // an older agent's report
  BotRecord unchanged{103, BotSwapOutcome::unchanged, {}, "", {}};
  unchanged.timings.start_ms = 1;
  host.bots = {swapped, untimed, unchanged};
  FleetHistory history;
  history.add(journal(SpeedName::routine, {host}));
  EXPECT_EQ(history.of(SpeedName::routine)->login_after,
            (std::vector<Duration>{milliseconds(5000)}))
      << "pull + create + stop + start of the one swapped, timed bot";
  const auto model = time_model_from_history(*history.of(SpeedName::routine));
  ASSERT_TRUE(model.has_login_times());
  SeededRandom random(1);
  EXPECT_EQ(model.draw_login_after(random), milliseconds(5000));
  EXPECT_FALSE(
      time_model_from_settings(default_speed_settings(SpeedName::routine)).has_login_times());
}

TEST(FleetSimulator, RecordedLoginTimesSpreadTheLoginsOfHostsThatStartTogether) {
  // 10 hosts of 2 bots start at once (no storm window, no cap) and take 60 s each.
  auto settings = default_speed_settings(SpeedName::immediate);
  settings.jitter = Duration(0);
  SimulationSetup setup{hosts_of(10, 2), settings, constant(seconds(60))};
  SeededRandom random(7);
  EXPECT_EQ(simulate_rollout(setup, random).peak_logins, 20u) << "every bot at its host's start";

  // History: half the bots logged in 2 s after their host's start, half 30 s after.
  setup.model.login_after = {seconds(2), seconds(30)};
  std::size_t lowest = 20;
  for (int run = 0; run < 20; ++run) {
    const auto peak = simulate_rollout(setup, random).peak_logins;
    EXPECT_GE(peak, 10u) << "20 bots in two instants: one holds at least half";
    lowest = std::min(lowest, peak);
  }
  EXPECT_LT(lowest, 20u) << "the recorded times split the logins of hosts that start together";
}

TEST(FleetSimulator, UsesAHostsOwnRecordedDurationsBeforeEveryonesElse) {
  FleetHistory history;
  history.add(
      journal(SpeedName::routine, {record("host-1", seconds(10)), record("host-2", seconds(100)),
                                   record("host-9", seconds(100))}));
  const auto model = time_model_from_history(*history.of(SpeedName::routine));
  SeededRandom random(1);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(model.draw_duration("host-1", random), seconds(10));
    EXPECT_EQ(model.draw_duration("host-2", random), seconds(100));
  }
  std::set<Duration> unknown;
  for (int i = 0; i < 200; ++i) unknown.insert(model.draw_duration("host-5", random));
  EXPECT_EQ(unknown, (std::set<Duration>{seconds(10), seconds(100)})) << "the pooled samples";
}

TEST(FleetSimulator, HistoryAndSettingsGiveDifferentSources) {
  // Settings: routine's 25-50 s per host. History: every host took 5 s.
  FleetHistory history;
  std::vector<HostRecord> records;
  for (int i = 1; i <= 10; ++i) records.push_back(record("host-" + std::to_string(i), seconds(5)));
  history.add(journal(SpeedName::routine, records));

  DeployPlan plan;
  plan.speed = SpeedName::routine;
  plan.settings = default_speed_settings(SpeedName::routine);
  plan.selection.hosts = hosts_of(10);
  SeededRandom random(1);
  const auto measured = estimate_from_history(plan, history, random, 20);
  ASSERT_TRUE(measured);
  EXPECT_EQ(measured->p50, seconds(10)) << "two windows of 5 s";
  EXPECT_EQ(measured->p90, seconds(10));
  EXPECT_EQ(measured->deploys, 1u);
  EXPECT_EQ(measured->host_records, 10u);

  plan.speed = SpeedName::fast;
  EXPECT_FALSE(estimate_from_history(plan, history, random)) << "no history at fast";

  const SimulationSetup settings{plan.selection.hosts, plan.settings,
                                 time_model_from_settings(plan.settings)};
  const auto run = simulate_rollout(settings, random);
  EXPECT_GE(run.makespan, seconds(50)) << "two windows of at least 25 s";
}

TEST(SimTransport, FinishesHostsEarliestFirstAndTiesInStartOrder) {
  const auto model = constant(seconds(10));
  SeededRandom random(1);
  SimTransport sim(model, random);
  EXPECT_FALSE(sim.next_finish());
  sim.start("b", TimePoint{} + seconds(5));
  sim.start("a", TimePoint{});
  sim.start("c", TimePoint{} + seconds(5));
  EXPECT_EQ(sim.in_flight(), 3u);
  EXPECT_EQ(sim.next_finish(), TimePoint{} + seconds(10));
  EXPECT_TRUE(sim.finish_due(TimePoint{} + seconds(9)).empty());
  auto due = sim.finish_due(TimePoint{} + seconds(15));
  ASSERT_EQ(due.size(), 3u);
  EXPECT_EQ(due[0].host, "a");
  EXPECT_EQ(due[1].host, "b");
  EXPECT_EQ(due[2].host, "c");
  EXPECT_TRUE(due[0].outcome.ok());
  EXPECT_EQ(sim.in_flight(), 0u);
}

TEST(SimTransport, FailsHostsAtTheModelsRate) {
  auto model = constant(seconds(1));
  model.failure_rate = 0.25;
  SeededRandom random(9);
  SimTransport sim(model, random);
  for (int i = 0; i < 4000; ++i) sim.start("host-" + std::to_string(i), TimePoint{});
  std::size_t failed = 0;
  for (const auto& finished : sim.finish_due(TimePoint{} + seconds(1))) {
    if (!finished.outcome.ok()) {
      ++failed;
      EXPECT_EQ(finished.outcome.reason, "simulated failure");
    }
  }
  EXPECT_GT(failed, 850u);
  EXPECT_LT(failed, 1150u);
}

}  // namespace
}  // namespace drover::core
