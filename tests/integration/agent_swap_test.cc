// drover-agent swap on the real Docker engine, with images from the local registry.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "agent/host_lock.h"
#include "support/agent_process.h"
#include "support/bot_fleet.h"
#include "support/pty_session.h"
#include "support/test_env.h"

namespace drover::testing {
namespace {

using nlohmann::json;

bool contains(const json& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

class AgentSwapIT : public ::testing::Test {
 protected:
  AgentRun swap(const std::string& image, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"swap",           "--bots", fleet.ids_arg(), "--image", image,
                                  "--stop-timeout", "5",      "--settle",      "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_agent(DROVER_AGENT_BIN, args);
  }

  docker::ContainerInfo bot(int id) {
    auto info = fleet.runtime().inspect_container("bot" + std::to_string(id));
    if (!info) throw std::runtime_error("bot" + std::to_string(id) + " has no container");
    return *info;
  }

  void expect_no_prev() {
    for (int id : fleet.ids()) {
      EXPECT_FALSE(fleet.runtime().inspect_container("bot" + std::to_string(id) + "-prev"))
          << "bot" << id << "-prev left behind";
    }
  }

  BotFleet fleet{{7101, 7102, 7103}};
};

TEST_F(AgentSwapIT, SwapsThreeBotsFromV1ToV2KeepingTheirConfiguration) {
  fleet.run_all(image("bot", "v1"));
  auto v1_id = bot(7101).image_id;
  auto run = swap(image("bot", "v2"));
  ASSERT_EQ(run.process.exit_code, 0) << run.process.err;
  EXPECT_TRUE(run.report["ok"]);
  auto v2 = fleet.runtime().inspect_image(image("bot", "v2"));
  ASSERT_TRUE(v2);
  for (int id : fleet.ids()) {
    const auto& entry = bot_entry(run.report, id);
    EXPECT_EQ(entry["outcome"], "swapped") << entry.dump();
    EXPECT_EQ(entry["image_id"], v2->id);
    EXPECT_TRUE(entry["repo_digest"].get<std::string>().starts_with(registry() +
                                                                    "/drover-test/bot@sha256:"));
    EXPECT_GT(entry["timings_ms"]["downtime"].get<int>(), 0);

    auto info = bot(id);
    EXPECT_TRUE(info.state.running);
    EXPECT_EQ(info.image_id, v2->id);
    // The new image's defaults took effect...
    EXPECT_EQ(info.config["Cmd"], json({"/bot", "--login-after", "1", "--flavor", "v2"}));
    EXPECT_TRUE(contains(info.config["Env"], "BOT_VERSION=v2"));
    EXPECT_FALSE(contains(info.config["Env"], "BOT_VERSION=v1"));
    EXPECT_EQ(info.config["Labels"]["drover.test.image"], "v2");
    // ...and what the operator set on the container was carried over.
    EXPECT_TRUE(contains(info.config["Env"], "BOT_ID=" + std::to_string(id)));
    EXPECT_TRUE(contains(info.config["Env"], "TRADING_MODE=paper"));
    EXPECT_EQ(info.config["Labels"]["team"], "trading");
    EXPECT_EQ(info.host_config["RestartPolicy"]["Name"], "unless-stopped");
    EXPECT_EQ(info.host_config["Memory"], 256 << 20);
    EXPECT_TRUE(contains(info.host_config["Binds"], fleet.data_dir(id) + ":/data"));
    EXPECT_TRUE(contains(info.host_config["Binds"], "/etc/resolv.conf:/etc/resolv.conf:ro"));
  }
  expect_no_prev();
  // The engine is shared (the demo's staging bots run v1 too): v1 must be gone exactly when
  // no other container uses it; a prune that removed an image in use would be the bug.
  const auto v1_users = fleet.containers_using_image(v1_id);
  if (v1_users.empty()) {
    EXPECT_FALSE(fleet.runtime().inspect_image(v1_id)) << "the old image was not pruned";
    EXPECT_GT(run.report["prune"]["images_deleted"].get<int>(), 0);
  } else {
    // Then nothing else may have been unused either: the report may count 0 deletions.
    EXPECT_TRUE(fleet.runtime().inspect_image(v1_id))
        << "v1 was pruned while " << v1_users.front() << " uses it";
  }
}

TEST_F(AgentSwapIT, AnImageThatExitsAtOnceIsRolledBack) {
  fleet.run_all(image("bot", "v1"));
  std::map<int, std::string> old_ids;
  for (int id : fleet.ids()) old_ids[id] = bot(id).id;
  auto run = swap(image("bot", "broken"));
  EXPECT_EQ(run.process.exit_code, 1) << run.process.err;
  EXPECT_FALSE(run.report["ok"]);
  for (int id : fleet.ids()) {
    const auto& entry = bot_entry(run.report, id);
    EXPECT_EQ(entry["outcome"], "rolled_back") << entry.dump();
    // The reason says what the new container did and what it printed (the test bot's words).
    auto reason = entry["reason"].get<std::string>();
    EXPECT_TRUE(reason.find("crash-looping") != std::string::npos ||
                reason.find("exited with code 3") != std::string::npos)
        << reason;
    EXPECT_NE(reason.find("exiting with code 3"), std::string::npos) << reason;
    auto info = bot(id);
    EXPECT_EQ(info.id, old_ids[id]) << "the old container itself must be back";
    EXPECT_TRUE(info.state.running);
    EXPECT_EQ(info.image_ref, image("bot", "v1"));
  }
  expect_no_prev();
}

TEST_F(AgentSwapIT, ATagThatDoesNotExistFailsAndTouchesNothing) {
  fleet.run_all(image("bot", "v1"));
  std::map<int, docker::ContainerInfo> before;
  for (int id : fleet.ids()) before[id] = bot(id);
  auto run = swap(image("bot", "no-such-tag"));
  EXPECT_EQ(run.process.exit_code, 1);
  EXPECT_NE(run.report["error"].get<std::string>().find("no-such-tag"), std::string::npos)
      << run.report.dump();
  for (int id : fleet.ids()) {
    EXPECT_EQ(bot_entry(run.report, id)["outcome"], "failed");
    auto info = bot(id);
    EXPECT_EQ(info.id, before[id].id);
    EXPECT_EQ(info.state.started_at, before[id].state.started_at)
        << "bot" << id << " was restarted";
  }
}

TEST_F(AgentSwapIT, ABotWithNoContainerIsCreatedFromTheTemplate) {
  json tmpl = {{"Env", {"BOT_ID={id}"}},
               {"Labels", {{"bot", "{id}"}}},
               {"HostConfig", {{"RestartPolicy", {{"Name", "always"}}}}}};
  auto run = swap(image("bot", "v2"), {"--template", tmpl.dump()});
  ASSERT_EQ(run.process.exit_code, 0) << run.process.err;
  for (int id : fleet.ids()) {
    EXPECT_TRUE(bot_entry(run.report, id)["created_from_template"]);
    auto info = bot(id);
    EXPECT_TRUE(info.state.running);
    EXPECT_EQ(info.config["Labels"]["bot"], std::to_string(id));
    EXPECT_TRUE(contains(info.config["Env"], "BOT_ID=" + std::to_string(id)));
    EXPECT_TRUE(contains(info.host_config["Binds"], "/etc/resolv.conf:/etc/resolv.conf:ro"));
  }
}

TEST_F(AgentSwapIT, SwappingAgainToTheSameImageLeavesBotsRunning) {
  fleet.run_all(image("bot", "v2"));
  std::map<int, std::string> ids;
  for (int id : fleet.ids()) ids[id] = bot(id).id;
  auto run = swap(image("bot", "v2"));
  ASSERT_EQ(run.process.exit_code, 0) << run.process.err;
  for (int id : fleet.ids()) {
    EXPECT_EQ(bot_entry(run.report, id)["outcome"], "unchanged");
    EXPECT_EQ(bot(id).id, ids[id]);
  }
}

// Issue 11, point 5: one swap at a time on a host, whoever started it. While another agent
// holds the host's lock (here the test, through the same FileHostLock the agent uses), a swap
// says whom it waits for and touches no bot; when the lock is let go, it swaps.
TEST_F(AgentSwapIT, ASwapWaitsWhileAnotherAgentHoldsTheHostsLock) {
  fleet.run_all(image("bot", "v1"));
  std::map<int, std::string> before;
  for (int id : fleet.ids()) before[id] = bot(id).id;
  const auto lock_path = (std::filesystem::temp_directory_path() /
                          ("drover-agent-swap-it-" + std::to_string(getpid()) + ".lock"))
                             .string();
  std::ostringstream test_log;
  agent::ProgressLog progress(test_log);
  auto other_agent = std::make_unique<agent::FileHostLock>(lock_path);
  other_agent->acquire("swap", progress);

  LiveProcess waiting(LiveProcess::Mode::pipes,
                      {DROVER_AGENT_BIN, "swap", "--bots", fleet.ids_arg(), "--image",
                       image("bot", "v2"), "--stop-timeout", "5", "--settle", "2"},
                      {{"DROVER_AGENT_LOCK", lock_path}});
  ASSERT_TRUE(waiting.wait_for("holds this host's swap lock")) << waiting.output();
  EXPECT_NE(waiting.output().find("drover-agent swap (pid " + std::to_string(getpid()) + ")"),
            std::string::npos)
      << waiting.output();
  for (int id : fleet.ids()) EXPECT_EQ(bot(id).id, before[id]) << "bot" << id << " was touched";

  other_agent.reset();
  auto code = waiting.wait_exit();
  ASSERT_TRUE(code.has_value()) << waiting.output();
  EXPECT_EQ(*code, 0) << waiting.output();
  auto v2 = fleet.runtime().inspect_image(image("bot", "v2"));
  ASSERT_TRUE(v2);
  for (int id : fleet.ids()) EXPECT_EQ(bot(id).image_id, v2->id) << "bot" << id;
  std::filesystem::remove(lock_path);
}

TEST_F(AgentSwapIT, BadArgumentsAreRefusedBeforeAnythingRuns) {
  fleet.run_all(image("bot", "v1"));
  for (const auto& [bots, ref] :
       std::vector<std::pair<std::string, std::string>>{{"7101", "127.0.0.1:5000/Bot:v2"},
                                                        {"7101", "127.0.0.1:5000/bot:v2;rm -rf /"},
                                                        {"7101", "bot v2"},
                                                        {"71a01", image("bot", "v2")},
                                                        {"7101,7101", image("bot", "v2")},
                                                        {"-1", image("bot", "v2")}}) {
    auto run = run_agent(DROVER_AGENT_BIN, {"swap", "--bots", bots, "--image", ref});
    EXPECT_EQ(run.process.exit_code, 2) << bots << " " << ref;
    EXPECT_FALSE(run.report["ok"]);
    EXPECT_FALSE(run.report["error"].get<std::string>().empty());
  }
  EXPECT_EQ(bot(7101).image_ref, image("bot", "v1"));
}

}  // namespace
}  // namespace drover::testing
