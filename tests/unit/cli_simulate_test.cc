// `drover simulate` end to end through the CLI's world, and the plan box's measured "Est.
// duration": what they print without history (the speed's settings, the guide's estimate) and
// with journals in the state directory (the recorded per-host durations), and the one-line
// refusals of bad input. The fleet's history is written as real journals (DeployJournal).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "cli/state/deploy_journal.h"
#include "core/deploy_plan.h"
#include "support/fake_cli_world.h"
#include "support/numbered_fleet.h"

namespace drover::testing {
namespace {

using std::chrono::seconds;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A finished deploy of every production host at `speed`, each host taking `took` (the first
// `failed` of them failing), journaled as drover journals one. With `login_after`, each host
// record has its bots, swapped, whose new containers started that long after the host did.
void record_deploy(FakeCliWorld& world, const std::string& id, core::SpeedName speed,
                   drover::Duration took, int failed = 0,
                   std::optional<drover::Duration> login_after = std::nullopt) {
  const core::Fleet fleet("unit", fleet_of(10));
  auto plan = core::make_plan(fleet, core::Target::all(), speed, {},
                              core::parse_image_reference("registry.test/tradebot:v2"), id,
                              "2026-11-28T00:00:00Z");
  plan.pinned_image = FakeCliWorld::pinned("v2");
  const auto state = cli::StateDir::open(world.state_root(), fleet);
  auto journal = cli::DeployJournal::create(state, plan, {"tester@ops-1", "drover deploy"});
  int n = 0;
  for (const auto& host : plan.selection.hosts) {
    auto outcome = n++ < failed ? core::HostOutcome::failure(core::FailureKind::bot_failed, "x")
                                : core::HostOutcome::success();
    core::HostRecord record{host.name, outcome, took};
    for (const auto bot : login_after ? host.bots : std::vector<core::BotId>{}) {
      core::BotRecord swapped{bot, core::BotSwapOutcome::swapped, {}, "", {}};
      swapped.timings.pull_ms = 2000;
      swapped.timings.start_ms = login_after->count() - 2000;
      record.bots.push_back(swapped);
    }
    journal.append(core::JournalHost{record});
  }
}

const std::string kId1 = "6ca32b16-367e-4372-8a33-6dd9442ed2c3";
const std::string kId2 = "7d1e0a55-0b4f-4c1e-9a3e-2f5c8b1d9e07";

TEST(CliSimulate, WithoutHistoryUsesTheSpeedsSettingsAndSaysSo) {
  FakeCliWorld world(fleet_of(10));
  ASSERT_EQ(world.run({"simulate", "all", "routine", "--runs", "30", "--seed", "5"}), 0)
      << world.terminal.err();
  const auto out = world.terminal.out();
  EXPECT_TRUE(contains(out,
                       "simulated 30 rollouts of ALL production bots routine: unit "
                       "(10 hosts, ~20 bots), nothing deployed\n"))
      << out;
  EXPECT_TRUE(contains(out, "  Source          speed settings (no history)\n")) << out;
  EXPECT_TRUE(contains(out, "  Makespan        p50 ")) << out;
  EXPECT_TRUE(contains(out, "  Peak logins     10 bots in one second (p50; 10 at most)\n"))
      << "5 hosts of 2 bots start together: " << out;
  EXPECT_TRUE(contains(out, "  Peak in flight  5 of 10 hosts\n")) << out;
  EXPECT_TRUE(contains(out, "  Failure rate    0.0% of hosts\n")) << out;
  EXPECT_TRUE(contains(out, "  Error halt      did not fire in any run (at failure 2 of 10 hosts)"))
      << out;
  EXPECT_TRUE(contains(out, "  Seed            5 (--seed 5 repeats these runs)\n")) << out;
  EXPECT_EQ(world.terminal.err(), "");
  EXPECT_TRUE(world.journaled_deploys().empty()) << "a simulation journals nothing";
  EXPECT_TRUE(world.transport.commands_ran().empty()) << "and asks no host anything";

  // The same seed repeats the runs exactly.
  ASSERT_EQ(world.run({"simulate", "all", "routine", "--runs", "30", "--seed", "5"}), 0);
  const auto both = world.terminal.out();
  EXPECT_EQ(both.substr(out.size()), out);
}

TEST(CliSimulate, WithHistoryDrawsTheRecordedDurationsAndFailureRate) {
  FakeCliWorld world(fleet_of(10));
  record_deploy(world, kId1, core::SpeedName::routine, seconds(30));
  record_deploy(world, kId2, core::SpeedName::routine, seconds(30), 1);
  ASSERT_EQ(world.run({"simulate", "all", "routine", "--runs", "20", "--seed", "1"}), 0)
      << world.terminal.err();
  const auto out = world.terminal.out();
  EXPECT_TRUE(contains(
      out,
      "  Source          history: 2 deploys / 20 host records / no bot login times at routine\n"))
      << out;
  // 10 hosts, 5 at a time, 30 s each: two windows. One failure in 20 records: 5 %.
  EXPECT_TRUE(contains(out, "  Makespan        p50 1m00s, p90 1m00s\n")) << out;
  EXPECT_TRUE(contains(out, "  Failure rate    5.0% of hosts (recorded)\n")) << out;
}

TEST(CliSimulate, WithRecordedBotLoginsSaysSoAndCountsThem) {
  FakeCliWorld world(fleet_of(10));
  record_deploy(world, kId1, core::SpeedName::routine, seconds(30), 0, seconds(8));
  ASSERT_EQ(world.run({"simulate", "all", "routine", "--runs", "20", "--seed", "1"}), 0)
      << world.terminal.err();
  const auto out = world.terminal.out();
  EXPECT_TRUE(contains(
      out, "  Source          history: 1 deploy / 10 host records / 20 bot logins at routine\n"))
      << out;
  // Every bot logs in 8 s after its host starts: the 5 hosts of a window still log in together.
  EXPECT_TRUE(contains(out, "  Peak logins     10 bots in one second (p50; 10 at most)\n")) << out;
}

TEST(CliSimulate, SaysWhenTheErrorHaltFiresAtAGivenFailureRate) {
  FakeCliWorld world(fleet_of(10));
  ASSERT_EQ(world.run({"simulate", "all", "fast", "--runs", "10", "--seed", "3", "--failure-rate",
                       "100%"}),
            0)
      << world.terminal.err();
  const auto out = world.terminal.out();
  EXPECT_TRUE(contains(out, "  Failure rate    100.0% of hosts (--failure-rate)\n")) << out;
  // fast runs all 10 at once; 10 % of 10 tolerates 1 failure, so the second halts, and every
  // host is already in flight by then.
  EXPECT_TRUE(contains(out, "  Error halt      fired in 10 of 10 runs (100.0%): p50 at ")) << out;

  ASSERT_EQ(world.run({"simulate", "all", "immediate", "--runs", "5", "--failure-rate", "0.5"}), 0);
  EXPECT_TRUE(contains(world.terminal.out(), "never (this speed has no error halt)"));
}

TEST(CliSimulate, RefusesBadInputInOneLineWithExitTwo) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"simulate", "all", "routine", "--failure-rate", "lots"},
       "drover: error: --failure-rate: 'lots' is not a failure rate"},
      {{"simulate", "all", "routine", "--failure-rate", "1.5"},
       "drover: error: --failure-rate: 1.5 is out of range"},
      {{"simulate", "all", "routine", "--runs", "0"}, "drover: error: --runs: 0 is out of range"},
      {{"simulate", "all", "routine", "--seed", "x1"},
       "drover: error: --seed: 'x1' is not a whole number"},
      {{"simulate", "all", "routine", "v2"},
       "drover: error: simulate arguments: a simulation takes no image ('v2')"},
      {{"simulate", "staging", "immediate"}, "drover: error: "},
      {{"simulate", "everything"}, "drover: error: "},
      {{"simulate"}, "drover: error: simulate arguments: the target is missing"},
  };
  for (const auto& [args, start] : cases) {
    FakeCliWorld world(fleet_of(3));
    EXPECT_EQ(world.run(args), 2) << args.back();
    const auto err = world.terminal.err();
    EXPECT_TRUE(err.starts_with(start)) << err;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
    EXPECT_EQ(world.terminal.out(), "") << args.back();
  }
}

TEST(CliPlanBox, ShowsTheGuidesEstimateWithoutHistoryAndSaysSo) {
  FakeCliWorld world(fleet_of(10));
  ASSERT_EQ(world.run({"deploy", "all", "routine", "v2", "-y", "--dry-run"}), 0)
      << world.terminal.err();
  EXPECT_TRUE(
      contains(world.terminal.out(), "Est. duration ~50-100s (guide's estimate, no history)\n"))
      << world.terminal.out();
}

TEST(CliPlanBox, SimulatesTheEstimateFromHistoryJournalsItAndShowPrintsIt) {
  FakeCliWorld world(fleet_of(10));
  record_deploy(world, kId1, core::SpeedName::routine, seconds(30));
  record_deploy(world, kId2, core::SpeedName::fast, seconds(90));
  ASSERT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 0) << world.terminal.err();
  const std::string row = "Est. duration ~1m00s (simulated from 1 deploy; p90 ~1m00s)\n";
  EXPECT_TRUE(contains(world.terminal.out(), row)) << world.terminal.out();

  auto deploys = world.journaled_deploys();
  ASSERT_EQ(deploys.size(), 3u);
  deploys.erase(std::remove(deploys.begin(), deploys.end(), kId1), deploys.end());
  deploys.erase(std::remove(deploys.begin(), deploys.end(), kId2), deploys.end());
  ASSERT_EQ(deploys.size(), 1u);
  const auto before = world.terminal.out().size();
  ASSERT_EQ(world.run({"show", deploys[0]}), 0) << world.terminal.err();
  EXPECT_TRUE(contains(world.terminal.out().substr(before), row))
      << "the journal keeps the estimate the operator confirmed";
}

}  // namespace
}  // namespace drover::testing
