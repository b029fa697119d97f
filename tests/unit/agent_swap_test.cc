// The swap's safety properties against an in-memory Docker: the happy path, every
// rejection path, and the crash invariant at every single runtime call.
#include <gtest/gtest.h>

#include <sstream>

#include "agent/bot_names.h"
#include "agent/host_swap.h"
#include "core/virtual_clock.h"
#include "support/fixed_random.h"
#include "support/in_memory_runtime.h"

namespace drover::agent {
namespace {

using core::VirtualClock;
using nlohmann::json;
using testing::FixedRandom;
using testing::InMemoryRuntime;
using testing::SimulatedCrash;

const std::string kV1 = "127.0.0.1:5000/bot:v1";
const std::string kV2 = "127.0.0.1:5000/bot:v2";
const std::string kBroken = "127.0.0.1:5000/bot:broken";

json image_config(const std::string& version) {
  return {{"Cmd", {"/bot", "--flavor", version}},
          {"Env", {"PATH=/bin", "BOT_VERSION=" + version}},
          {"Labels", {{"image.version", version}}},
          {"Healthcheck", {{"Test", {"CMD", "/bot", "--health"}}}}};
}

// An image whose containers exit with code 3 as soon as they start.
testing::FakeImageBehavior exits_with_3(std::vector<std::string> log_lines) {
  testing::FakeImageBehavior broken;
  broken.exits_at_start = true;
  broken.exit_code = 3;
  broken.log_lines = std::move(log_lines);
  return broken;
}

class StaticLoginProbe final : public LoginProbe {
 public:
  LoginReading check(int, const docker::ContainerInfo&) override {
    return {LoginState::logged_in, "test"};
  }
};

class AgentSwapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    runtime.publish_image(kV1, image_config("v1"));
    runtime.publish_image(kV2, image_config("v2"));
    runtime.publish_image(kBroken, image_config("broken"), exits_with_3({"fatal: no config"}));
    for (int id : {539, 540, 541}) {
      runtime.add_running_container(container_name(id), kV1,
                                    {{"Env", {"BOT_ID=" + std::to_string(id)}},
                                     {"Labels", {{"team", "trading"}}},
                                     {"HostConfig",
                                      {{"Binds", {"/srv/bot" + std::to_string(id) + ":/data"}},
                                       {"RestartPolicy", {{"Name", "unless-stopped"}}}}}});
    }
  }

  HostSwapOptions options(const std::string& ref) {
    HostSwapOptions o;
    o.bot_ids = {539, 540, 541};
    o.image_ref = ref;
    o.stop_timeout = std::chrono::seconds(35);
    o.settle = Duration(5000);
    o.parallel = false;
    return o;
  }

  HostSwapResult swap(const std::string& ref) {
    auto o = options(ref);
    return swap_host(ctx, probe, o);
  }

  // The crash invariant: exactly one container per bot, named bot<ID>, and running.
  void expect_every_bot_running() {
    auto containers = runtime.containers();
    for (int id : {539, 540, 541}) {
      int named = 0;
      for (const auto& c : containers) {
        EXPECT_NE(c.name, prev_container_name(id)) << "leftover -prev";
        if (c.name == container_name(id)) {
          ++named;
          EXPECT_TRUE(c.state.running) << c.name << " is " << c.state.status;
        }
      }
      EXPECT_EQ(named, 1) << "bot" << id;
    }
    EXPECT_EQ(containers.size(), 3u);
  }

  std::string image_of(int id) {
    for (const auto& c : runtime.containers()) {
      if (c.name == container_name(id)) return c.image_ref;
    }
    return "";
  }

  VirtualClock clock;
  InMemoryRuntime runtime{clock};
  FixedRandom random{12345};
  std::ostringstream log_text;
  ProgressLog log{log_text};
  AgentContext ctx{runtime, clock, random, log,
                   [](const std::string&) { return std::optional<std::int64_t>(50LL << 30); }};
  StaticLoginProbe probe;
};

TEST_F(AgentSwapTest, SwapsEveryBotAndKeepsItsConfiguration) {
  auto result = swap(kV2);
  ASSERT_TRUE(result.ok()) << log_text.str();
  for (const auto& bot : result.bots) {
    EXPECT_EQ(bot.outcome, BotSwapOutcome::swapped) << bot.reason;
    EXPECT_EQ(bot.image_id, result.image->id);
  }
  expect_every_bot_running();
  for (const auto& c : runtime.containers()) {
    EXPECT_EQ(c.image_ref, kV2);
    // The new image's own defaults, not the old image's:
    EXPECT_EQ(c.config["Cmd"], json({"/bot", "--flavor", "v2"}));
    auto env = c.config["Env"];
    EXPECT_NE(std::find(env.begin(), env.end(), "BOT_VERSION=v2"), env.end());
    EXPECT_EQ(std::find(env.begin(), env.end(), "BOT_VERSION=v1"), env.end());
    // What the operator set on the container survives:
    EXPECT_NE(std::find(env.begin(), env.end(), "BOT_ID=" + c.name.substr(3)), env.end());
    EXPECT_EQ(c.config["Labels"]["team"], "trading");
    EXPECT_EQ(c.config["Labels"]["image.version"], "v2");
    EXPECT_EQ(c.host_config["RestartPolicy"]["Name"], "unless-stopped");
    auto binds = c.host_config["Binds"];
    EXPECT_NE(std::find(binds.begin(), binds.end(), "/etc/resolv.conf:/etc/resolv.conf:ro"),
              binds.end());
  }
  EXPECT_EQ(runtime.local_images(), std::set<std::string>{kV2}) << "old image not pruned";
  EXPECT_GT(result.prune.space_reclaimed, 0);
  ASSERT_EQ(result.logins.size(), 3u);
  EXPECT_EQ(result.logins[0].reading.state, LoginState::logged_in);
}

TEST_F(AgentSwapTest, ASecondRunLeavesRunningBotsUnchanged) {
  ASSERT_TRUE(swap(kV2).ok());
  auto calls_before = runtime.calls().size();
  auto again = swap(kV2);
  ASSERT_TRUE(again.ok());
  for (const auto& bot : again.bots) EXPECT_EQ(bot.outcome, BotSwapOutcome::unchanged);
  auto calls = runtime.calls();
  for (const auto& call :
       std::vector(calls.begin() + static_cast<long>(calls_before), calls.end())) {
    EXPECT_EQ(call.rfind("stop_container", 0), std::string::npos) << "stopped a bot: " << call;
  }
}

TEST_F(AgentSwapTest, ABrokenImageRollsBackToTheOldContainer) {
  auto result = swap(kBroken);
  EXPECT_FALSE(result.ok());
  for (const auto& bot : result.bots) {
    EXPECT_EQ(bot.outcome, BotSwapOutcome::rolled_back);
    EXPECT_NE(bot.reason.find("exited with code 3"), std::string::npos) << bot.reason;
    EXPECT_NE(bot.reason.find("fatal: no config"), std::string::npos) << bot.reason;
  }
  expect_every_bot_running();
  for (int id : {539, 540, 541}) EXPECT_EQ(image_of(id), kV1);
}

TEST_F(AgentSwapTest, AFailedPullTouchesNothing) {
  auto result = swap("127.0.0.1:5000/bot:nope");
  EXPECT_FALSE(result.ok());
  EXPECT_NE(result.error.find("manifest"), std::string::npos) << result.error;
  for (const auto& bot : result.bots) EXPECT_EQ(bot.outcome, BotSwapOutcome::failed);
  for (const auto& call : runtime.calls()) {
    EXPECT_EQ(call.rfind("stop_container", 0), std::string::npos) << call;
    EXPECT_EQ(call.rfind("rename_container", 0), std::string::npos) << call;
  }
  expect_every_bot_running();
}

TEST_F(AgentSwapTest, RefusesBeforePullingWhenTheDiskStaysBelowTheFloor) {
  ctx.free_bytes = [](const std::string&) { return std::optional<std::int64_t>(100 << 20); };
  auto result = swap(kV2);
  EXPECT_FALSE(result.ok());
  EXPECT_NE(result.error.find("even after pruning"), std::string::npos) << result.error;
  auto calls = runtime.calls();
  EXPECT_NE(std::find(calls.begin(), calls.end(), "prune_images"), calls.end());
  for (const auto& call : calls) EXPECT_EQ(call.rfind("pull_image", 0), std::string::npos);
  expect_every_bot_running();
}

TEST_F(AgentSwapTest, ABotWithoutContainerIsCreatedFromTheTemplate) {
  auto o = options(kV2);
  o.bot_ids = {77};
  o.container_template = json{{"Env", {"BOT_ID={id}"}}, {"Labels", {{"bot", "{id}"}}}};
  auto result = swap_host(ctx, probe, o);
  ASSERT_TRUE(result.ok()) << log_text.str();
  EXPECT_TRUE(result.bots[0].created_from_template);
  auto bot = runtime.inspect_container("bot77");
  ASSERT_TRUE(bot);
  EXPECT_TRUE(bot->state.running);
  EXPECT_EQ(bot->config["Labels"]["bot"], "77");
}

TEST_F(AgentSwapTest, ABotWithoutContainerOrTemplateFailsWithAReason) {
  auto o = options(kV2);
  o.bot_ids = {77};
  auto result = swap_host(ctx, probe, o);
  EXPECT_FALSE(result.ok());
  EXPECT_NE(result.bots[0].reason.find("--template"), std::string::npos);
}

TEST_F(AgentSwapTest, AnImagePrunedBetweenPullAndCreateIsPulledAgain) {
  ctx.on_step = [&](int, SwapStep step) {
    if (step == SwapStep::Pulled) runtime.prune_images();  // another tool's prune, mid-swap
  };
  auto result = swap(kV2);
  ASSERT_TRUE(result.ok()) << log_text.str();
  for (const auto& bot : result.bots) EXPECT_EQ(bot.outcome, BotSwapOutcome::swapped);
  expect_every_bot_running();
}

TEST_F(AgentSwapTest, JitterWaitsARandomDelayFirst) {
  auto o = options(kV2);
  o.jitter = Duration(60000);
  auto result = swap_host(ctx, probe, o);
  EXPECT_EQ(result.jitter_waited, Duration(12345));
  EXPECT_GE(clock.slept(), Duration(12345));
}

TEST_F(AgentSwapTest, RecoverRestoresAPrevWhoseNewContainerIsGone) {
  runtime.rename_container("bot540", "bot540-prev");
  runtime.stop_container("bot540-prev", std::chrono::seconds(1));
  auto r = recover_bot(ctx, 540, Duration(1000));
  EXPECT_EQ(r.action, RecoverAction::restored_prev);
  expect_every_bot_running();
}

// Everything that can happen while the old container runs happens before its stop: the new
// container exists (as bot<ID>-next) before the old one is stopped, and is renamed to bot<ID>
// only after the old one became bot<ID>-prev.
TEST_F(AgentSwapTest, CreatesTheNewContainerBeforeStoppingTheOldOne) {
  auto o = options(kV2);
  o.bot_ids = {539};
  const auto old_id = runtime.inspect_container("bot539")->id;
  auto result = swap_host(ctx, probe, o);
  ASSERT_TRUE(result.ok()) << log_text.str();
  auto calls = runtime.calls();
  auto index_of = [&](const std::string& prefix) {
    auto it = std::find_if(calls.begin(), calls.end(),
                           [&](const std::string& c) { return c.rfind(prefix, 0) == 0; });
    EXPECT_NE(it, calls.end()) << "no call " << prefix;
    return it - calls.begin();
  };
  const auto create = index_of("create_container bot539-next");
  const auto stop = index_of("stop_container " + old_id);
  const auto to_prev = index_of("rename_container " + old_id + " bot539-prev");
  const auto next_to_name = index_of("rename_container");  // the first rename
  EXPECT_LT(create, stop);
  EXPECT_LT(stop, to_prev);
  EXPECT_EQ(next_to_name, to_prev) << "the new container took the name before the old one left";
  EXPECT_GE(result.bots[0].timings.downtime, result.bots[0].timings.stop);
}

TEST_F(AgentSwapTest, AFailedCreateStopsNothing) {
  runtime.fail_operation("create_container");
  auto result = swap(kV2);
  EXPECT_FALSE(result.ok());
  for (const auto& bot : result.bots) {
    EXPECT_EQ(bot.outcome, BotSwapOutcome::failed);
    EXPECT_NE(bot.reason.find("nothing was stopped"), std::string::npos) << bot.reason;
  }
  for (const auto& call : runtime.calls()) {
    EXPECT_EQ(call.rfind("stop_container", 0), std::string::npos) << call;
  }
  expect_every_bot_running();
  for (int id : {539, 540, 541}) EXPECT_EQ(image_of(id), kV1);
}

TEST_F(AgentSwapTest, RecoverRemovesAnUnstartedNextContainer) {
  const auto old_id = runtime.inspect_container("bot540")->id;
  runtime.create_container(next_container_name(540), {{"Image", kV1}});
  auto r = recover_bot(ctx, 540, Duration(1000));
  EXPECT_EQ(r.action, RecoverAction::removed_next) << r.detail;
  expect_every_bot_running();
  EXPECT_EQ(runtime.inspect_container("bot540")->id, old_id);
}

// A killed agent's create of bot540-next that lands after the recovery this swap began with
// had looked (agent/landing_wait.h gives up on a request at its land-by time).
TEST_F(AgentSwapTest, ALeftoverNextInTheWayOfTheCreateIsRemovedAndTheSwapGoesOn) {
  ctx.on_step = [&](int, SwapStep step) {
    if (step == SwapStep::Recovered) {
      runtime.create_container(next_container_name(540), {{"Image", kV1}});
    }
  };
  auto result = swap(kV2);
  ASSERT_TRUE(result.ok()) << log_text.str();
  for (const auto& bot : result.bots) EXPECT_EQ(bot.outcome, BotSwapOutcome::swapped);
  expect_every_bot_running();
  EXPECT_NE(
      log_text.str().find("bot540: removed a leftover bot540-next (created) that was in the way"),
      std::string::npos)
      << log_text.str();
}

TEST_F(AgentSwapTest, RecoverWithNextAndPrevLeftRestoresTheOldContainer) {
  // Killed between the two renames: the old container is bot540-prev (stopped), the new one
  // still bot540-next.
  const auto old_id = runtime.inspect_container("bot540")->id;
  runtime.create_container(next_container_name(540), {{"Image", kV1}});
  runtime.stop_container("bot540", std::chrono::seconds(1));
  runtime.rename_container("bot540", prev_container_name(540));
  auto r = recover_bot(ctx, 540, Duration(1000));
  EXPECT_EQ(r.action, RecoverAction::restored_prev) << r.detail;
  expect_every_bot_running();
  EXPECT_EQ(runtime.inspect_container("bot540")->id, old_id);
}

// Prune semantics with the prune moved off the critical path: after the swap no image is left
// that no container uses, yet an image another logical host's bots still run on the same
// engine stays.
TEST_F(AgentSwapTest, LeavesNoUnusedImageButKeepsOneAnotherHostStillRuns) {
  runtime.add_running_container("bot900", kV1);  // another logical host's bot on this engine
  auto result = swap(kV2);
  ASSERT_TRUE(result.ok()) << log_text.str();
  EXPECT_EQ(runtime.local_images(), (std::set<std::string>{kV1, kV2}));
  EXPECT_EQ(runtime.prunable_bytes(), 0);
  // That host's own swap then releases v1, and nothing unused is left.
  auto o = options(kV2);
  o.bot_ids = {900};
  ASSERT_TRUE(swap_host(ctx, probe, o).ok()) << log_text.str();
  EXPECT_EQ(runtime.local_images(), std::set<std::string>{kV2});
}

TEST_F(AgentSwapTest, ARollbackLeavesNoUnusedImage) {
  auto result = swap(kBroken);
  EXPECT_FALSE(result.ok());
  expect_every_bot_running();
  EXPECT_EQ(runtime.local_images(), std::set<std::string>{kV1}) << "broken image left behind";
}

// A killed agent's create lands in dockerd after recovery looked: recovery's rename of the
// -prev container meets a name conflict once, reads the state again and restores it.
TEST_F(AgentSwapTest, RecoverReadsTheStateAgainWhenTheEngineRefusesAStep) {
  runtime.rename_container("bot540", "bot540-prev");
  runtime.stop_container("bot540-prev", std::chrono::seconds(1));
  const int rename_call = runtime.call_count() + 4;  // inspect, inspect -prev, inspect, rename
  runtime.fail_call(rename_call, 409);
  auto r = recover_bot(ctx, 540, Duration(1000));
  ASSERT_EQ(runtime.calls().at(rename_call - 1).rfind("rename_container", 0), 0u);
  EXPECT_EQ(r.action, RecoverAction::restored_prev) << r.detail << log_text.str();
  EXPECT_NE(log_text.str().find("reading the state again"), std::string::npos);
  expect_every_bot_running();
}

TEST_F(AgentSwapTest, RecoverGivesUpWithTheEnginesReasonAfterThreeRefusals) {
  runtime.rename_container("bot540", "bot540-prev");
  runtime.stop_container("bot540-prev", std::chrono::seconds(1));
  runtime.fail_operation("rename_container", 409);
  auto r = recover_bot(ctx, 540, Duration(1000));
  EXPECT_EQ(r.action, RecoverAction::failed);
  EXPECT_NE(r.detail.find("3 times"), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find("drover-agent recover --bots 540"), std::string::npos) << r.detail;
}

// Every runtime call of a swap, in turn, fails with an engine error: the swap must report
// it, and every bot must still be running on some image afterwards (no recover needed).
TEST_F(AgentSwapTest, AnEngineErrorAtAnyCallLeavesNoBotDown) {
  auto base = runtime.call_count();
  swap(kV2);
  int total = runtime.call_count() - base;
  ASSERT_GT(total, 20);
  for (int n = 1; n <= total; ++n) {
    InMemoryRuntime fresh{clock};
    fresh.publish_image(kV1, image_config("v1"));
    fresh.publish_image(kV2, image_config("v2"));
    for (int id : {539, 540, 541}) fresh.add_running_container(container_name(id), kV1);
    fresh.fail_call(fresh.call_count() + n);
    AgentContext c{fresh, clock, random, log, ctx.free_bytes};
    auto o = options(kV2);
    auto result = swap_host(c, probe, o);
    fresh.clear_faults();
    int up = 0;
    for (const auto& info : fresh.containers()) {
      if (info.state.running && info.name.find("-prev") == std::string::npos) ++up;
    }
    EXPECT_EQ(up, 3) << "failing call " << n << " left a bot down; log:\n" << log_text.str();
    for (const auto& bot : result.bots) {
      if (bot.outcome == BotSwapOutcome::failed || bot.outcome == BotSwapOutcome::rolled_back) {
        EXPECT_FALSE(bot.reason.empty()) << "call " << n;
      }
    }
  }
}

// The agent is "killed" before and after every runtime call of a swap (create of bot<ID>-next,
// stop, both renames, start, prune, cleanup) and of a broken-image swap with its rollback; one
// more run (recover) must restore the invariant, and a swap after it must finish the job.
TEST_F(AgentSwapTest, CrashAtAnyCallIsRepairedByTheNextRun) {
  for (const auto& target : {kV2, kBroken}) {
    InMemoryRuntime counting{clock};
    counting.publish_image(kV1, image_config("v1"));
    counting.publish_image(target, image_config("x"),
                           target == kBroken ? exits_with_3({}) : testing::FakeImageBehavior{});
    for (int id : {539, 540, 541}) counting.add_running_container(container_name(id), kV1);
    AgentContext counting_ctx{counting, clock, random, log, ctx.free_bytes};
    auto base = counting.call_count();
    swap_host(counting_ctx, probe, options(target));
    int total = counting.call_count() - base;
    for (int n = 1; n <= total; ++n) {
      for (bool after : {false, true}) {
        InMemoryRuntime fresh{clock};
        fresh.publish_image(kV1, image_config("v1"));
        fresh.publish_image(target, image_config("x"),
                            target == kBroken ? exits_with_3({}) : testing::FakeImageBehavior{});
        for (int id : {539, 540, 541}) fresh.add_running_container(container_name(id), kV1);
        AgentContext c{fresh, clock, random, log, ctx.free_bytes};
        int at = fresh.call_count() + n;
        after ? fresh.crash_after_call(at) : fresh.crash_before_call(at);
        bool crashed = false;
        try {
          swap_host(c, probe, options(target));
        } catch (const SimulatedCrash&) {
          crashed = true;
        }
        EXPECT_TRUE(crashed) << "call " << n;
        fresh.clear_faults();
        for (int id : {539, 540, 541}) recover_bot(c, id, Duration(1000));
        auto containers = fresh.containers();
        ASSERT_EQ(containers.size(), 3u)
            << target << " crash " << (after ? "after" : "before") << " call " << n;
        for (const auto& info : containers) {
          EXPECT_TRUE(info.state.running) << info.name << " call " << n;
          EXPECT_EQ(info.name.find("-prev"), std::string::npos) << info.name << " call " << n;
          EXPECT_EQ(info.name.find("-next"), std::string::npos) << info.name << " call " << n;
        }
        // The repeated swap then finishes what the killed one started (or rolls back again).
        auto again = swap_host(c, probe, options(target));
        containers = fresh.containers();
        ASSERT_EQ(containers.size(), 3u) << target << " swap after the crash at call " << n;
        for (const auto& info : containers) {
          EXPECT_TRUE(info.state.running) << info.name << " call " << n;
          EXPECT_EQ(info.image_ref, target == kV2 ? kV2 : kV1) << info.name << " call " << n;
        }
        EXPECT_EQ(again.ok(), target == kV2) << "call " << n;
      }
    }
  }
}

}  // namespace
}  // namespace drover::agent
