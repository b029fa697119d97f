// drover-agent status on the real engine: what runs, which image, and the login state read
// through each of the three probes (the Redis one against a real redis-server).
#include <gtest/gtest.h>

#include <thread>

#include "support/agent_process.h"
#include "support/bot_fleet.h"
#include "support/test_env.h"

namespace drover::testing {
namespace {

using nlohmann::json;

class AgentStatusIT : public ::testing::Test {
 protected:
  AgentRun status(const std::string& probe, const std::string& expect = "") {
    std::vector<std::string> args{"status", "--bots", fleet.ids_arg(), "--login-probe", probe};
    if (!expect.empty()) args.insert(args.end(), {"--expect-image", expect});
    return run_agent(DROVER_AGENT_BIN, args);
  }

  // Polls status until every bot reads `wanted` (or 20 s pass); returns the last report.
  json wait_for_login(const std::string& probe, const std::string& wanted) {
    json report;
    for (int attempt = 0; attempt < 40; ++attempt) {
      report = status(probe).report;
      bool all = true;
      for (const auto& bot : report["bots"]) all = all && bot["login"] == wanted;
      if (all) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    return report;
  }

  void redis_cli(const std::vector<std::string>& args) {
    std::vector<std::string> argv{"redis-cli", "-h", redis_host(), "-p",
                                  std::to_string(redis_port())};
    argv.insert(argv.end(), args.begin(), args.end());
    PosixProcessRunner().run(argv);
  }

  BotFleet fleet{{7201, 7202}};
};

TEST_F(AgentStatusIT, ReportsContainerImageAndExpectedImage) {
  fleet.run_all(image("bot", "v1"));
  auto run = status("health", image("bot", "v1"));
  ASSERT_EQ(run.process.exit_code, 0) << run.process.err;
  for (int id : fleet.ids()) {
    const auto& bot = bot_entry(run.report, id);
    EXPECT_TRUE(bot["present"]);
    EXPECT_TRUE(bot["running"]);
    EXPECT_EQ(bot["restart_count"], 0);
    EXPECT_TRUE(bot["matches_expected"]);
    EXPECT_FALSE(bot["repo_digests"].empty());
  }
  auto digest = bot_entry(run.report, 7201)["repo_digests"][0].get<std::string>();
  EXPECT_TRUE(bot_entry(status("health", digest).report, 7201)["matches_expected"]);

  auto other = status("health", image("bot", "v2"));
  EXPECT_EQ(other.process.exit_code, 1);
  EXPECT_FALSE(bot_entry(other.report, 7201)["matches_expected"]);

  fleet.remove_all();
  auto gone = status("health", image("bot", "v1"));
  EXPECT_EQ(gone.process.exit_code, 1);
  EXPECT_FALSE(bot_entry(gone.report, 7201)["present"]);
  EXPECT_EQ(bot_entry(gone.report, 7201)["login"], "not_logged_in");
}

TEST_F(AgentStatusIT, HealthProbeFollowsTheContainersHealthcheck) {
  fleet.run_all(image("bot", "v1"));  // logs in 2 s after start
  EXPECT_EQ(bot_entry(status("health").report, 7201)["login"], "not_logged_in");
  auto report = wait_for_login("health", "logged_in");
  for (int id : fleet.ids())
    EXPECT_EQ(bot_entry(report, id)["login"], "logged_in") << report.dump();

  fleet.remove_all();
  fleet.run_all(image("bot", "nohealth"));
  EXPECT_EQ(bot_entry(status("health").report, 7201)["login"], "unknown");
}

TEST_F(AgentStatusIT, LogProbeMatchesALineSinceTheContainerStarted) {
  fleet.run_all(image("bot", "v1"));
  EXPECT_EQ(bot_entry(status("log:logged in to Steam").report, 7201)["login"], "not_logged_in");
  auto report = wait_for_login("log:logged in to Steam", "logged_in");
  for (int id : fleet.ids())
    EXPECT_EQ(bot_entry(report, id)["login"], "logged_in") << report.dump();
}

TEST_F(AgentStatusIT, RedisProbeReadsAKeyPerBot) {
  for (int id : fleet.ids()) redis_cli({"DEL", "bot:" + std::to_string(id) + ":login"});
  // Host networking: the test redis-server listens on loopback only.
  fleet.run_all(image("bot", "v2"),
                {{"Cmd", {"/bot", "--login-after", "1", "--redis", redis_address()}},
                 {"HostConfig", {{"NetworkMode", "host"}}}});
  auto probe = "redis:" + redis_address() + "/bot:{id}:login=ok";
  auto report = wait_for_login(probe, "logged_in");
  for (int id : fleet.ids())
    EXPECT_EQ(bot_entry(report, id)["login"], "logged_in") << report.dump();

  redis_cli({"SET", "bot:7202:login", "pending"});
  EXPECT_EQ(bot_entry(status(probe).report, 7202)["login"], "not_logged_in");

  auto unreachable = status("redis:127.0.0.1:1/bot:{id}:login=ok");
  EXPECT_EQ(bot_entry(unreachable.report, 7201)["login"], "unknown");
}

TEST_F(AgentStatusIT, ABadProbeSpecIsAUsageError) {
  auto run = status("redis:redis.internal:6379/bot:{id}=ok");
  EXPECT_EQ(run.process.exit_code, 2);
  EXPECT_NE(run.report["error"].get<std::string>().find("IP"), std::string::npos)
      << run.report.dump();
}

}  // namespace
}  // namespace drover::testing
