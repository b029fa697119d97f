// The local transport running the real drover-agent binary (and a few stand-ins for a broken
// agent) through the real PosixProcessRunner: what an operator's `transport = "local"` does.
#include "transport/local/local_transport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "core/transport.h"
#include "support/bot_fleet.h"
#include "support/test_env.h"

namespace drover::testing {
namespace {

using std::chrono::seconds;

const core::Host kHost{"host-1", std::nullopt, {7601}, core::HostGroup::production};

class LocalTransportIT : public ::testing::Test {
 protected:
  PosixProcessRunner runner;
  transport::LocalTransport agent{DROVER_AGENT_BIN, runner};
};

TEST_F(LocalTransportIT, VersionComesBackAsAReport) {
  auto result = agent.run_agent(kHost, {{"version"}, seconds(30)});
  ASSERT_EQ(result.status, core::TransportStatus::ok) << result.detail << result.stderr_tail;
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(core::parsed_report(result)["command"], "version");
  EXPECT_EQ(core::parsed_report(result)["ok"], true);
  EXPECT_EQ(core::parsed_report(result)["sha256"].get<std::string>().size(), 64u);
}

// The live view's source (issue 14): the real agent swapping real bots reports its steps on
// stderr, and the local transport hands them over while the agent runs. Bot ids 9020-9021.
TEST_F(LocalTransportIT, ASwapReportsItsStepsAsTheyHappen) {
  BotFleet fleet({9020, 9021});
  fleet.run_all(image("bot", "v1"));
  std::vector<std::string> steps;
  core::AgentCall call{{"swap", "--bots", fleet.ids_arg(), "--image", image("bot", "v2"),
                        "--stop-timeout", "5", "--settle", "2"},
                       seconds(300)};
  const auto caller = std::this_thread::get_id();
  call.on_step = [&](std::string_view step) {
    EXPECT_EQ(std::this_thread::get_id(), caller) << "steps come on the calling thread";
    steps.emplace_back(step);
  };
  const core::Host host{"host-1", std::nullopt, {9020, 9021}, core::HostGroup::production};
  auto result = agent.run_agent(host, call);
  ASSERT_EQ(result.status, core::TransportStatus::ok) << result.detail << result.stderr_tail;
  EXPECT_EQ(core::parsed_report(result)["ok"], true) << result.report_line;
  // In the order a swap passes them (pull once for the host, then per bot create beside the
  // old container, stop, start, settle; the login poll once every bot is done).
  auto first = [&](const std::string& step) {
    return std::find(steps.begin(), steps.end(), step) - steps.begin();
  };
  for (const auto* step : {"pull", "create", "stop", "start", "settle", "login"}) {
    EXPECT_LT(first(step), static_cast<long>(steps.size())) << step << " missing";
  }
  EXPECT_LT(first("pull"), first("create"));
  EXPECT_LT(first("create"), first("stop"));
  EXPECT_LT(first("stop"), first("start"));
  EXPECT_LT(first("start"), first("settle"));
  EXPECT_LT(first("settle"), first("login"));
  EXPECT_EQ(std::count(steps.begin(), steps.end(), "stop"), 2);
  EXPECT_EQ(std::count(steps.begin(), steps.end(), "start"), 2);
  EXPECT_EQ(std::count(steps.begin(), steps.end(), "settle"), 2);
  // The report on stdout is untouched by the step lines on stderr.
  EXPECT_EQ(core::parsed_report(result)["bots"].size(), 2U);
  EXPECT_NE(result.stderr_tail.find("drover-agent: step: "), std::string::npos);
  fleet.remove_all();
}

TEST_F(LocalTransportIT, StatusOfABotWithNoContainerIsAReportNotAFailure) {
  auto result = agent.run_agent(kHost, {{"status", "--bots", "1"}, seconds(60)});
  ASSERT_EQ(result.status, core::TransportStatus::ok) << result.detail << result.stderr_tail;
  EXPECT_TRUE(result.exit_code == 0 || result.exit_code == 1) << result.exit_code;
  EXPECT_EQ(core::parsed_report(result)["command"], "status");
  ASSERT_EQ(core::parsed_report(result)["bots"].size(), 1u);
  EXPECT_EQ(core::parsed_report(result)["bots"][0]["bot"], 1);
  EXPECT_EQ(core::parsed_report(result)["bots"][0]["present"], false);
}

TEST_F(LocalTransportIT, StatusOfARunningBotSaysWhatRuns) {
  BotFleet fleet{{7601}};
  fleet.run_all(image("bot", "v1"));
  auto result = agent.run_agent(
      kHost, {{"status", "--bots", "7601", "--expect-image", image("bot", "v1")}, seconds(60)});
  ASSERT_EQ(result.status, core::TransportStatus::ok) << result.detail << result.stderr_tail;
  EXPECT_EQ(result.exit_code, 0);
  const auto bot = core::parsed_report(result)["bots"][0];
  EXPECT_EQ(bot["bot"], 7601);
  EXPECT_EQ(bot["present"], true);
  EXPECT_EQ(bot["running"], true);
  EXPECT_EQ(bot["matches_expected"], true);
}

TEST_F(LocalTransportIT, BadArgumentsAreAgentFailedWithTheAgentsReason) {
  auto result = agent.run_agent(kHost, {{"status", "--bots", "7601;reboot"}, seconds(30)});
  EXPECT_EQ(result.status, core::TransportStatus::agent_failed);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(core::parsed_report(result)["ok"], false);
  EXPECT_NE(result.detail.find("the agent refused its arguments (exit 2): "), std::string::npos)
      << result.detail;
  EXPECT_NE(result.detail.find("7601;reboot"), std::string::npos) << result.detail;
}

TEST_F(LocalTransportIT, AMissingAgentIsReportedMissing) {
  transport::LocalTransport missing("/nonexistent/drover-agent", runner);
  auto result = missing.run_agent(kHost, {{"version"}, seconds(30)});
  EXPECT_EQ(result.status, core::TransportStatus::agent_missing);
  EXPECT_NE(result.detail.find("/nonexistent/drover-agent"), std::string::npos) << result.detail;
}

TEST_F(LocalTransportIT, AnAgentThatHangsIsKilledAtTheTimeout) {
  transport::LocalTransport hanging("sleep", runner);
  auto started = std::chrono::steady_clock::now();
  auto result = hanging.run_agent(kHost, {{"30"}, seconds(1)});
  EXPECT_EQ(result.status, core::TransportStatus::timed_out);
  EXPECT_LT(std::chrono::steady_clock::now() - started, seconds(10));
}

TEST_F(LocalTransportIT, AForeignBinaryIsBadOutput) {
  transport::LocalTransport echo("echo", runner);
  auto result = echo.run_agent(kHost, {{"status", "--bots", "1"}, seconds(5)});
  EXPECT_EQ(result.status, core::TransportStatus::bad_output);
  EXPECT_NE(result.detail.find("'status --bots 1'"), std::string::npos) << result.detail;
}

}  // namespace
}  // namespace drover::testing
