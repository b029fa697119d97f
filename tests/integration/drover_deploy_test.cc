// drover end to end on the real engine through the local transport: fleet, staging and
// single-bot deploys, a broken image halted at the error threshold, and `drover verify`.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "support/drover_fleet.h"
#include "support/test_env.h"

namespace drover::testing {
namespace {

std::vector<HostSpec> three_plus_staging(int base) {
  return {{"host-1", {base + 1, base + 2}},
          {"host-2", {base + 3, base + 4}},
          {"host-3", {base + 5, base + 6}},
          {"staging-1", {base + 7, base + 8}, "staging"}};
}

// Issue 14: with --json, each host's steps as the real agent reports them through the local
// transport, and every event stamped with its time (RFC 3339 UTC, milliseconds), in order.
// Bot ids 9022-9023.
TEST(DroverDeployIT, JsonEventsCarryEachHostsStepsAndTheirTimes) {
  DroverFleet fleet(DROVER_BIN, "e2e-steps", {{"host-1", {9022}}, {"host-2", {9023}}});
  fleet.run_all("v1");
  auto run =
      fleet.drover({"deploy", "all", "routine", "v2", "-y", "--json", "--straggler-wait", "3"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  std::map<std::string, std::vector<std::string>> steps;
  std::string previous_time;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) {
    auto event = nlohmann::json::parse(line);
    const auto time = event.at("time").get<std::string>();
    EXPECT_TRUE(std::regex_match(time, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
        << line;
    EXPECT_GE(time, previous_time) << line;
    previous_time = time;
    if (event["event"] == "host_step") {
      steps[event["host"].get<std::string>()].push_back(event["step"].get<std::string>());
    }
  }
  for (const auto* host : {"host-1", "host-2"}) {
    const auto& seen = steps[host];
    for (const auto* step : {"pull", "stop", "start", "settle"}) {
      EXPECT_NE(std::find(seen.begin(), seen.end(), step), seen.end())
          << host << " never reported " << step << ":\n"
          << run.out;
    }
  }
  for (int id : fleet.all_bots()) EXPECT_EQ(fleet.version(id), "v2") << "bot" << id;
}

TEST(DroverDeployIT, FleetDeployMovesEveryProductionBotToV2AndLeavesStagingAlone) {
  DroverFleet fleet(DROVER_BIN, "e2e-fleet", three_plus_staging(8100));
  fleet.run_all("v1");
  auto before = fleet.snapshot();

  auto run = fleet.drover({"deploy", "all", "routine", "v2", "-y", "--straggler-wait", "3"});

  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  for (int id : fleet.bots_in_group("production")) {
    auto now = fleet.bot(id);
    EXPECT_EQ(fleet.version(id), "v2") << "bot" << id;
    EXPECT_TRUE(now.state.running) << "bot" << id;
    EXPECT_NE(now.id, before[id].id) << "bot" << id << " kept its old container";
    EXPECT_FALSE(fleet.has_prev(id)) << "bot" << id << "-prev left behind";
  }
  for (int id : fleet.bots_in_group("staging")) {
    expect_untouched(before[id], fleet.bot(id));
    EXPECT_EQ(fleet.version(id), "v1");
  }
  EXPECT_EQ(
      first_missing(run.out, {"================ deploy plan ================",
                              "Hosts         3 (~6 bots)", "--- result: Success (3/3, 0 errors)",
                              "── verification report (6 bots) ──", "on deployed version : 6/6",
                              "stale (old image)   : 0", "down (no container) : 0"}),
      "")
      << run.out;
  EXPECT_EQ(first_missing(run.out, {"host-1: ok", "host-2: ok", "host-3: ok"}), "") << run.out;
  EXPECT_EQ(run.out.find("staging-1"), std::string::npos) << run.out;
  auto id = deploy_id_in(run.out);
  ASSERT_FALSE(id.empty()) << run.out;
  EXPECT_EQ(fleet.journal_files().size(), 2u) << "a journal and its origin file";
  EXPECT_FALSE(std::filesystem::exists(fleet.lock_file())) << "the lock outlived the deploy";

  // `drover verify` on its own agrees: every production bot on v2.
  auto verify = fleet.drover({"verify", "all", "v2", "--straggler-wait", "3"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("on deployed version : 6/6"), std::string::npos) << verify.out;
  EXPECT_NE(verify.out.find("stale (old image)   : 0"), std::string::npos) << verify.out;

  auto history = fleet.drover({"history"});
  EXPECT_EQ(history.exit_code, 0) << history.err;
  EXPECT_NE(history.out.find(id.substr(0, 8)), std::string::npos) << history.out;
  EXPECT_NE(history.out.find("success"), std::string::npos) << history.out;
}

TEST(DroverDeployIT, StagingDeployChangesOnlyTheStagingBotsAndVerifyFindsTheRestStale) {
  DroverFleet fleet(DROVER_BIN, "e2e-staging", three_plus_staging(8110));
  fleet.run_all("v1");
  auto before = fleet.snapshot();

  auto run = fleet.drover({"deploy", "staging", "routine", "v2", "-y", "--straggler-wait", "3"});

  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  for (int id : fleet.bots_in_group("staging")) {
    EXPECT_EQ(fleet.version(id), "v2") << "bot" << id;
    EXPECT_TRUE(fleet.bot(id).state.running) << "bot" << id;
  }
  for (int id : fleet.bots_in_group("production")) {
    expect_untouched(before[id], fleet.bot(id));
    EXPECT_EQ(fleet.version(id), "v1");
  }
  EXPECT_EQ(first_missing(run.out, {"staging bots 8117/8118", "--- result: Success (1/1, 0 errors)",
                                    "on deployed version : 2/2"}),
            "")
      << run.out;

  // verify alone: staging is on v2 (0); the production bots are still on v1 (5, listed).
  auto staging = fleet.drover({"verify", "staging", "v2", "--straggler-wait", "3"});
  EXPECT_EQ(staging.exit_code, 0) << staging.out << staging.err;
  auto all = fleet.drover({"verify", "all", "v2", "--straggler-wait", "3"});
  EXPECT_EQ(all.exit_code, 5) << all.out << all.err;
  EXPECT_NE(all.out.find("on deployed version : 0/6"), std::string::npos) << all.out;
  auto stale = "stale (old image)   : 6 -> " + bot_names(fleet.bots_in_group("production"));
  EXPECT_NE(all.out.find(stale), std::string::npos) << stale << "\n" << all.out;
  EXPECT_NE(all.out.find("down (no container) : 0"), std::string::npos) << all.out;
  EXPECT_EQ(fleet.journal_files().size(), 2u) << "verify writes no journal";
}

TEST(DroverDeployIT, OneBotDeployLeavesItsHostNeighboursUntouched) {
  DroverFleet fleet(DROVER_BIN, "e2e-onebot", {{"host-1", {8121, 8122, 8123}}, {"host-2", {8124}}});
  fleet.run_all("v1");
  auto before = fleet.snapshot();

  auto run = fleet.drover({"deploy", "bot", "8122", "v2", "-y", "--straggler-wait", "3"});

  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(fleet.version(8122), "v2");
  EXPECT_TRUE(fleet.bot(8122).state.running);
  EXPECT_NE(fleet.bot(8122).id, before[8122].id);
  for (int id : {8121, 8123, 8124}) {
    expect_untouched(before[id], fleet.bot(id));
    EXPECT_EQ(fleet.version(id), "v1") << "bot" << id;
  }
  EXPECT_EQ(
      first_missing(run.out, {"Target        bot 8122 on host-1", "Hosts         1 (bot8122 only)",
                              "--- result: Success (1/1, 0 errors)",
                              "── verification report (1 bots) ──", "on deployed version : 1/1"}),
      "")
      << run.out;
}

// Four hosts, one at a time, halting once more than 10 % of 4 (= 0) hosts failed: the first
// host's rollback halts the rollout, and hosts 2-4 never start.
TEST(DroverDeployIT, ABrokenImageIsRolledBackAndHaltsTheRolloutAtTheThreshold) {
  DroverFleet fleet(DROVER_BIN, "e2e-broken",
                    {{"host-1", {8131, 8132}},
                     {"host-2", {8133, 8134}},
                     {"host-3", {8135, 8136}},
                     {"host-4", {8137, 8138}}},
                    kHaltAtFirstFailure);
  fleet.run_all("v1");
  auto before = fleet.snapshot();

  auto run = fleet.drover({"deploy", "all", "routine", "broken", "-y", "--straggler-wait", "3"});

  // deploy_exit_code.h: a halted rollout (4) outranks the stale bots verification finds (5).
  EXPECT_EQ(run.exit_code, 4) << run.out << run.err;
  // Rolled back where it started: host-1's bots run their own old containers again.
  for (int id : fleet.bots_of("host-1")) {
    auto now = fleet.bot(id);
    EXPECT_EQ(now.id, before[id].id) << "bot" << id << ": the old container must be back";
    EXPECT_TRUE(now.state.running) << "bot" << id;
    EXPECT_EQ(fleet.version(id), "v1") << "bot" << id;
    EXPECT_FALSE(fleet.has_prev(id)) << "bot" << id << "-prev left behind";
  }
  // Never started: hosts 2-4 were not touched at all.
  for (const auto* host : {"host-2", "host-3", "host-4"}) {
    for (int id : fleet.bots_of(host)) expect_untouched(before[id], fleet.bot(id));
  }
  // Zero bots down.
  for (int id : fleet.all_bots()) EXPECT_TRUE(fleet.bot(id).state.running) << "bot" << id;

  EXPECT_EQ(first_missing(run.out, {"[1/4] host-1: FAILED", "rolled back",
                                    "--- result: Halted (0/4, 1 error)", "3 host(s) not started",
                                    "failed host-1:", "on deployed version : 0/8",
                                    "stale (old image)   : 8 -> " + bot_names(fleet.all_bots()),
                                    "down (no container) : 0"}),
            "")
      << run.out;
  for (const auto* host : {"host-2", "host-3", "host-4"}) {
    EXPECT_EQ(run.out.find(std::string(host) + ":"), std::string::npos)
        << host << " must not have started\n"
        << run.out;
  }

  // The journal names the hosts that never started.
  auto id = deploy_id_in(run.out);
  ASSERT_FALSE(id.empty()) << run.out;
  auto show = fleet.drover({"show", id});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(first_missing(show.out,
                          {"hosts: 0 ok, 1 failed, 3 not finished (of 4)", "host-2  not finished",
                           "host-3  not finished", "host-4  not finished", "exit code 4"}),
            "")
      << show.out;
}

}  // namespace
}  // namespace drover::testing
