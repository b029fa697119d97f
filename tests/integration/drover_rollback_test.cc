// `drover rollback` end to end on the real engine through the local transport: every bot goes
// back to the digest it ran before, pulled again after the agent pruned it; a bot-only deploy
// is undone alone; a halted deploy's swapped bots go back and the rest are left alone.
// Bot ids 8940-8969.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "support/drover_fleet.h"
#include "support/test_env.h"

namespace drover::testing {
namespace {

// The repo digest ("<registry>/drover-test/bot@sha256:…") the engine has for a test tag.
std::string repo_digest_of(docker::ContainerRuntime& runtime, const std::string& tag) {
  const auto info = runtime.inspect_image(image("bot", tag));
  if (!info || info->repo_digests.empty()) return "";
  return info->repo_digests.front();
}

// bot:v1-rollback is v1 under an image id only this test uses: the demo's bots run bot:v1 on
// the same engine, and an image in use is never pruned, so only this one can be made to go.
TEST(DroverRollbackIT, EveryBotGoesBackToV1sDigestAfterTheV1ImageWasPruned) {
  DroverFleet fleet(DROVER_BIN, "e2e-rollback",
                    {{"host-1", {8941, 8942}}, {"host-2", {8943, 8944}}});
  fleet.run_all("v1-rollback");
  auto& engine = fleet.containers().runtime();
  const auto v1 = repo_digest_of(engine, "v1-rollback");
  ASSERT_FALSE(v1.empty())
      << "bot:v1-rollback was pulled from the registry, so it has a repo digest";
  const auto v1_id = engine.inspect_image(v1)->id;

  auto deploy = fleet.drover({"deploy", "all", "routine", "v2", "-y", "--straggler-wait", "3"});
  ASSERT_EQ(deploy.exit_code, 0) << deploy.out << deploy.err;
  const auto deploy_id = deploy_id_in(deploy.out);
  for (int id : fleet.all_bots()) ASSERT_EQ(fleet.version(id), "v2") << "bot" << id;
  // Each agent prunes after its own host; on real hosts that removes v1 everywhere, here the
  // hosts share one engine and a host's prune may run while the other still has v1 (its bots
  // or their -prev), so prune once more after the last one.
  engine.prune_images();
  const auto v1_users = fleet.containers().containers_using_image(v1_id);
  ASSERT_TRUE(v1_users.empty()) << v1_users.front() << " still uses v1-rollback";
  ASSERT_FALSE(engine.inspect_image(v1).has_value()) << "v1 must be gone from the engine";
  ASSERT_FALSE(engine.inspect_image(v1_id).has_value()) << "v1 must be gone from the engine";

  auto rollback = fleet.drover({"rollback", "all", "-y", "--straggler-wait", "3"});

  ASSERT_EQ(rollback.exit_code, 0) << rollback.out << rollback.err;
  for (int id : fleet.all_bots()) {
    const auto now = fleet.bot(id);
    EXPECT_EQ(fleet.version(id), "v1-rollback") << "bot" << id;
    EXPECT_EQ(now.image_ref, v1) << "bot" << id << " must run v1 by its digest";
    EXPECT_TRUE(now.state.running) << "bot" << id;
    EXPECT_FALSE(fleet.has_prev(id)) << "bot" << id << "-prev left behind";
  }
  EXPECT_EQ(first_missing(
                rollback.out,
                {"=============== rollback plan ===============",
                 "Back to       " + v1 + "  4 bots (undoing deploy " + deploy_id.substr(0, 8) + ")",
                 "--- result: Success (2/2, 0 errors)", "on deployed version : 4/4"}),
            "")
      << rollback.out;

  // The journal keeps what each bot ran before, and history tells the two apart.
  auto shown = fleet.drover({"show", deploy_id, "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  const auto document = nlohmann::json::parse(shown.out);
  for (const auto& record : document.at("host_records")) {
    for (const auto& bot : record.at("bots")) {
      EXPECT_EQ(bot.at("outcome"), "swapped");
      EXPECT_EQ(bot.at("from").at("repo_digest"), v1);
      EXPECT_EQ(bot.at("from").at("ref"), image("bot", "v1-rollback"));
    }
  }
  auto history = fleet.drover({"history", "--json"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  const auto deploys = nlohmann::json::parse(history.out).at("deploys");
  ASSERT_EQ(deploys.size(), 2u);
  EXPECT_EQ(deploys[0].at("kind"), "rollback");
  EXPECT_EQ(deploys[0].at("outcome"), "success");
  EXPECT_EQ(deploys[1].at("deploy_id"), deploy_id);

  // A second rollback does not flip the fleet back to v2.
  auto again = fleet.drover({"rollback", "all", "-y"});
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("nothing to roll back"), std::string::npos) << again.out;
  for (int id : fleet.all_bots()) EXPECT_EQ(fleet.version(id), "v1-rollback") << "bot" << id;
}

TEST(DroverRollbackIT, AfterABotOnlyDeployAFleetRollbackTouchesOnlyThatBot) {
  DroverFleet fleet(DROVER_BIN, "e2e-rollback-bot",
                    {{"host-1", {8951, 8952}}, {"host-2", {8953, 8954}}});
  fleet.run_all("v1");
  const auto v1 = repo_digest_of(fleet.containers().runtime(), "v1");
  ASSERT_FALSE(v1.empty()) << "bot:v1 was pulled from the registry, so it has a repo digest";
  auto deploy = fleet.drover({"deploy", "bot", "8952", "v2", "-y", "--straggler-wait", "3"});
  ASSERT_EQ(deploy.exit_code, 0) << deploy.out << deploy.err;
  const auto deploy_id = deploy_id_in(deploy.out);
  ASSERT_EQ(fleet.version(8952), "v2");
  auto before = fleet.snapshot();

  auto rollback = fleet.drover({"rollback", "all", "routine", "-y", "--straggler-wait", "3"});

  ASSERT_EQ(rollback.exit_code, 0) << rollback.out << rollback.err;
  EXPECT_EQ(fleet.version(8952), "v1");
  EXPECT_EQ(fleet.bot(8952).image_ref, v1) << "bot8952 must run v1 by its digest";
  EXPECT_TRUE(fleet.bot(8952).state.running);
  EXPECT_NE(fleet.bot(8952).id, before[8952].id) << "bot8952 was not rolled back";
  EXPECT_FALSE(fleet.has_prev(8952)) << "bot8952-prev left behind";
  for (int id : {8951, 8953, 8954}) {
    expect_untouched(before[id], fleet.bot(id));
    EXPECT_EQ(fleet.version(id), "v1") << "bot" << id;
  }
  EXPECT_EQ(first_missing(rollback.out, {"Hosts         1 (1 bot going back)",
                                         "Back to       " + v1 + "  1 bot (undoing deploy " +
                                             deploy_id.substr(0, 8) + ")",
                                         "Left alone    3 bots: no deploy recorded",
                                         "[1/1] host-1: ok", "on deployed version : 1/1"}),
            "")
      << rollback.out;
}

TEST(DroverRollbackIT, RollingBackAHaltedDeployReturnsTheSwappedBotsAndLeavesTheRest) {
  DroverFleet fleet(DROVER_BIN, "e2e-rollback-halt",
                    {{"host-1", {8961, 8962}}, {"host-2", {8963, 8964}}, {"host-3", {8965, 8966}}},
                    kHaltAtFirstFailure);
  fleet.run_all("v1");
  const auto v1 = repo_digest_of(fleet.containers().runtime(), "v1");
  ASSERT_FALSE(v1.empty()) << "bot:v1 was pulled from the registry, so it has a repo digest";
  // bot8964 has no container (and drover.toml no template): host-2 fails on it after swapping
  // bot8963, and the halt keeps host-3 from starting.
  fleet.containers().runtime().remove_container(fleet.bot(8964).id);
  auto deploy = fleet.drover({"deploy", "all", "routine", "v2", "-y", "--straggler-wait", "3"});
  ASSERT_EQ(deploy.exit_code, 4) << deploy.out << deploy.err;
  ASSERT_NE(deploy.out.find("--- result: Halted"), std::string::npos) << deploy.out;
  const auto deploy_id = deploy_id_in(deploy.out);
  for (int id : {8961, 8962, 8963}) ASSERT_EQ(fleet.version(id), "v2") << "bot" << id;
  std::map<int, docker::ContainerInfo> before;
  for (int id : {8961, 8962, 8963, 8965, 8966}) before[id] = fleet.bot(id);

  auto rollback = fleet.drover({"rollback", "all", "-y", "--straggler-wait", "3"});

  ASSERT_EQ(rollback.exit_code, 0) << rollback.out << rollback.err;
  for (int id : {8961, 8962, 8963}) {
    const auto now = fleet.bot(id);
    EXPECT_EQ(fleet.version(id), "v1") << "bot" << id;
    EXPECT_EQ(now.image_ref, v1) << "bot" << id << " must run v1 by its digest";
    EXPECT_NE(now.id, before[id].id) << "bot" << id << " was not rolled back";
    EXPECT_TRUE(now.state.running) << "bot" << id;
    EXPECT_FALSE(fleet.has_prev(id)) << "bot" << id << "-prev left behind";
  }
  for (int id : {8965, 8966}) {
    expect_untouched(before[id], fleet.bot(id));
    EXPECT_EQ(fleet.version(id), "v1") << "bot" << id;
  }
  EXPECT_FALSE(fleet.containers().runtime().inspect_container("bot8964").has_value())
      << "a bot the deploy did not change is not created by its rollback";
  EXPECT_EQ(first_missing(
                rollback.out,
                {"Hosts         2 (3 bots going back)",
                 "Back to       " + v1 + "  3 bots (undoing deploy " + deploy_id.substr(0, 8) + ")",
                 // bot8964's swap failed (it has no container): it may be down, and says so.
                 "Left alone    1 bot: their latest deploy " + deploy_id.substr(0, 8) +
                     " failed to swap them: they may be down (see drover verify)",
                 "              2 bots: their latest deploy " + deploy_id.substr(0, 8) +
                     " did not change them",
                 "--- result: Success (2/2, 0 errors)", "on deployed version : 3/3"}),
            "")
      << rollback.out;
  EXPECT_EQ(rollback.out.find("host-3:"), std::string::npos) << rollback.out;
}

}  // namespace
}  // namespace drover::testing
