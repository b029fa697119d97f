// What a swap records for `drover rollback`: each bot's previous image (`from`), and the
// per-bot images a rollback sends (two bots of one host going back to different digests),
// pulled again by digest after the prune removed them.
#include <gtest/gtest.h>

#include <sstream>

#include "agent/agent_report.h"
#include "agent/bot_names.h"
#include "agent/host_swap.h"
#include "core/virtual_clock.h"
#include "support/fixed_random.h"
#include "support/in_memory_runtime.h"

namespace drover::agent {
namespace {

using core::VirtualClock;
using testing::FixedRandom;
using testing::InMemoryRuntime;

const std::string kV1 = "127.0.0.1:5000/bot:v1";
const std::string kV2 = "127.0.0.1:5000/bot:v2";
const std::string kV3 = "127.0.0.1:5000/bot:v3";

class AlwaysLoggedIn final : public LoginProbe {
 public:
  LoginReading check(int, const docker::ContainerInfo&) override {
    return {LoginState::logged_in, "test"};
  }
};

class AgentSwapFromTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const auto& ref : {kV1, kV2, kV3}) {
      ids[ref] = runtime.publish_image(ref, {{"Cmd", {"/bot"}}});
      // The registry's digest for the tag, as a pull reports it.
      digests[ref] = runtime.pull_image(ref, "").repo_digests.at(0);
    }
    // Two versions on one host before the deploy: 539 and 540 on v1, 541 on v3.
    runtime.add_running_container(container_name(539), kV1);
    runtime.add_running_container(container_name(540), kV1);
    runtime.add_running_container(container_name(541), kV3);
  }

  HostSwapResult swap(const std::string& ref, std::map<int, std::string> per_bot = {}) {
    HostSwapOptions o;
    o.bot_ids = {539, 540, 541};
    o.image_ref = ref;
    o.bot_image_refs = std::move(per_bot);
    o.settle = Duration(5000);
    o.parallel = false;
    return swap_host(ctx, probe, o);
  }

  std::string image_of(int id) {
    auto info = runtime.inspect_container(container_name(id));
    return info ? info->image_ref : "";
  }

  VirtualClock clock;
  InMemoryRuntime runtime{clock};
  FixedRandom random{1};
  std::ostringstream log_text;
  ProgressLog log{log_text};
  AgentContext ctx{runtime, clock, random, log,
                   [](const std::string&) { return std::optional<std::int64_t>(50LL << 30); }};
  AlwaysLoggedIn probe;
  std::map<std::string, std::string> ids;
  std::map<std::string, std::string> digests;
};

TEST_F(AgentSwapFromTest, TheReportNamesWhatEachBotRanBeforeItsSwap) {
  auto result = swap(kV2);
  ASSERT_TRUE(result.ok()) << log_text.str();
  const auto report = swap_report("host-1", result);
  ASSERT_EQ(report.bots.size(), 3u);
  for (const auto& bot : report.bots) {
    const auto& before = bot.bot == 541 ? kV3 : kV1;
    ASSERT_TRUE(bot.from) << bot.bot;
    EXPECT_EQ(*bot.from, (core::PreviousImage{before, ids[before], digests[before]})) << bot.bot;
  }
  // The report carries it over the wire and back.
  EXPECT_EQ(core::read_swap_report(core::to_json(report)), report);
  EXPECT_FALSE(runtime.inspect_image(kV1)) << "the prune removed the old images";
}

TEST_F(AgentSwapFromTest, ABotLeftUnchangedNamesItsOwnImageAndANewBotNone) {
  auto again = swap(kV1, {{541, kV3}});
  ASSERT_TRUE(again.ok()) << log_text.str();
  for (const auto& bot : again.bots) {
    EXPECT_EQ(bot.outcome, BotSwapOutcome::unchanged);
    ASSERT_TRUE(bot.from);
    EXPECT_EQ(bot.from->repo_digest, digests[bot.bot_id == 541 ? kV3 : kV1]);
  }

  HostSwapOptions fresh;
  fresh.bot_ids = {77};
  fresh.image_ref = kV2;
  fresh.settle = Duration(1000);
  fresh.parallel = false;
  fresh.container_template = nlohmann::json{{"Env", {"BOT_ID={id}"}}};
  auto created = swap_host(ctx, probe, fresh);
  ASSERT_TRUE(created.ok()) << log_text.str();
  EXPECT_TRUE(created.bots[0].created_from_template);
  EXPECT_FALSE(created.bots[0].from) << "bot77 ran nothing before: there is nothing to go back to";
}

TEST_F(AgentSwapFromTest, EachBotGoesBackToItsOwnDigestPulledAgainAfterThePrune) {
  ASSERT_TRUE(swap(kV2).ok()) << log_text.str();
  ASSERT_FALSE(runtime.inspect_image(digests[kV1]));
  ASSERT_FALSE(runtime.inspect_image(digests[kV3]));

  // What drover sends for a rollback: the host's most common digest, and the others per bot.
  auto back = swap(digests[kV1], {{541, digests[kV3]}});
  ASSERT_TRUE(back.ok()) << log_text.str();
  for (const auto& bot : back.bots) EXPECT_EQ(bot.outcome, BotSwapOutcome::swapped) << bot.reason;
  EXPECT_EQ(image_of(539), digests[kV1]);
  EXPECT_EQ(image_of(540), digests[kV1]);
  EXPECT_EQ(image_of(541), digests[kV3]);
  std::vector<std::string> pulls;
  for (const auto& call : runtime.calls()) {
    if (call.starts_with("pull_image ")) pulls.push_back(call.substr(11));
  }
  EXPECT_EQ(std::vector(pulls.end() - 2, pulls.end()),
            (std::vector<std::string>{digests[kV1], digests[kV3]}))
      << "each digest once, both before any bot was stopped";
  EXPECT_EQ(back.bots[2].repo_digest, digests[kV3]);
  ASSERT_TRUE(back.bots[2].from);
  EXPECT_EQ(back.bots[2].from->repo_digest, digests[kV2]);
}

TEST_F(AgentSwapFromTest, ABotWhoseImageCannotBePulledIsLeftUntouchedWhileTheOthersGo) {
  const auto gone = "127.0.0.1:5000/bot@sha256:" + std::string(64, '0');
  auto result = swap(kV2, {{540, gone}});
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.bots.size(), 3u);
  EXPECT_EQ(result.bots[0].outcome, BotSwapOutcome::swapped);
  EXPECT_EQ(result.bots[1].outcome, BotSwapOutcome::failed);
  EXPECT_NE(result.bots[1].reason.find("pulling " + gone + " failed"), std::string::npos)
      << result.bots[1].reason;
  EXPECT_NE(result.bots[1].reason.find("not touched"), std::string::npos);
  EXPECT_EQ(result.bots[2].outcome, BotSwapOutcome::swapped);
  EXPECT_EQ(image_of(540), kV1) << "bot540 still runs what it ran";
  EXPECT_TRUE(result.error.empty()) << "not a host-wide failure: " << result.error;

  // When no image can be pulled at all, the host fails before anything is stopped.
  auto none = swap(gone, {{541, gone}});
  EXPECT_FALSE(none.ok());
  EXPECT_NE(none.error.find("no bot was touched"), std::string::npos) << none.error;
  for (const auto& bot : none.bots) EXPECT_EQ(bot.outcome, BotSwapOutcome::failed);
}

}  // namespace
}  // namespace drover::agent
