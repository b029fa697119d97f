// The settle proof against an in-memory Docker whose containers live on a virtual clock:
// every way the evidence that a new container stayed up can be missing, late or contrary
// must end in a rollback (the old container running again), never in a confirmed swap.
#include <gtest/gtest.h>

#include <sstream>

#include "agent/bot_names.h"
#include "agent/host_swap.h"
#include "agent/settle_proof.h"
#include "core/virtual_clock.h"
#include "support/fixed_random.h"
#include "support/in_memory_runtime.h"

namespace drover::agent {
namespace {

using core::VirtualClock;
using nlohmann::json;
using testing::FakeImageBehavior;
using testing::FixedRandom;
using testing::InMemoryRuntime;

const std::string kV1 = "127.0.0.1:5000/bot:v1";
const std::string kNew = "127.0.0.1:5000/bot:new";
constexpr int kBot = 539;

json image_config(const std::string& version, bool health_check) {
  json config = {{"Cmd", {"/bot", "--flavor", version}}, {"Env", {"BOT_VERSION=" + version}}};
  if (health_check) {
    // Docker's fields in nanoseconds: a verdict within 30 + 4 × (1 + 1) = 38 s.
    config["Healthcheck"] = {{"Test", {"CMD", "/bot", "--health"}},
                             {"Interval", 1'000'000'000},
                             {"Timeout", 1'000'000'000},
                             {"StartPeriod", 30'000'000'000},
                             {"Retries", 3}};
  }
  return config;
}

class OkProbe final : public LoginProbe {
 public:
  LoginReading check(int, const docker::ContainerInfo&) override {
    return {LoginState::logged_in, "test"};
  }
};

class SettleProofTest : public ::testing::Test {
 protected:
  void SetUp() override {
    runtime.publish_image(kV1, image_config("v1", true));
    runtime.add_running_container(
        container_name(kBot), kV1,
        {{"HostConfig", {{"RestartPolicy", {{"Name", "unless-stopped"}}}}}});
  }

  // Swaps the bot to an image that behaves as `behavior`, with a 2 s settle window.
  BotSwapResult swap_to(FakeImageBehavior behavior, bool health_check = false) {
    runtime.publish_image(kNew, image_config("new", health_check), std::move(behavior));
    HostSwapOptions options;
    options.bot_ids = {kBot};
    options.image_ref = kNew;
    options.stop_timeout = std::chrono::seconds(5);
    options.settle = Duration(2000);
    options.parallel = false;
    auto result = swap_host(ctx, probe, options);
    EXPECT_EQ(result.bots.size(), 1u);
    return result.bots.empty() ? BotSwapResult{} : result.bots.front();
  }

  // The guide's promise for a rejected image: the old container runs again, alone.
  void expect_old_container_running() {
    auto containers = runtime.containers();
    ASSERT_EQ(containers.size(), 1u) << log_text.str();
    EXPECT_EQ(containers[0].name, container_name(kBot));
    EXPECT_EQ(containers[0].image_ref, kV1);
    EXPECT_TRUE(containers[0].state.running) << containers[0].state.status;
  }

  void expect_rolled_back(const BotSwapResult& bot, const std::string& reason_part) {
    EXPECT_EQ(bot.outcome, BotSwapOutcome::rolled_back) << bot.reason << "\n" << log_text.str();
    EXPECT_NE(bot.reason.find(reason_part), std::string::npos) << bot.reason;
    expect_old_container_running();
  }

  VirtualClock clock;
  InMemoryRuntime runtime{clock};
  FixedRandom random{0};
  std::ostringstream log_text;
  ProgressLog log{log_text};
  AgentContext ctx{runtime, clock, random, log,
                   [](const std::string&) { return std::optional<std::int64_t>(50LL << 30); }};
  OkProbe probe;
};

TEST_F(SettleProofTest, AContainerThatRunsThroughTheWindowIsConfirmed) {
  auto bot = swap_to({});
  EXPECT_EQ(bot.outcome, BotSwapOutcome::swapped) << bot.reason << "\n" << log_text.str();
  EXPECT_GE(bot.timings.settle, Duration(2000));
  EXPECT_LT(bot.timings.settle, Duration(3000));
}

// The window is measured from the container's own StartedAt, not from our first look.
TEST_F(SettleProofTest, AProcessThatStartsLateIsWatchedForTheWholeWindowFromItsStart) {
  FakeImageBehavior late;
  late.process_starts_after = Duration(1500);
  auto bot = swap_to(late);
  EXPECT_EQ(bot.outcome, BotSwapOutcome::swapped) << bot.reason << "\n" << log_text.str();
  EXPECT_GE(bot.timings.settle, Duration(3500));
}

TEST_F(SettleProofTest, AProcessThatStartsAfterTheFirstLookAndThenExitsRollsBack) {
  FakeImageBehavior late_then_dies;
  late_then_dies.process_starts_after = Duration(700);
  late_then_dies.exits_after = Duration(1000);
  late_then_dies.exit_code = 3;
  expect_rolled_back(swap_to(late_then_dies), "crash-looping");
}

TEST_F(SettleProofTest, AProcessTheEngineNeverRunsWithinTheGraceRollsBack) {
  FakeImageBehavior never;
  never.process_starts_after = std::chrono::minutes(5);
  expect_rolled_back(swap_to(never), "still waiting for the engine to run it");
}

TEST_F(SettleProofTest, AnExitAndRestartBetweenTwoLooksRollsBack) {
  FakeImageBehavior crash_loop;
  crash_loop.exits_after = Duration(700);  // restarted 100 ms later, before the next look
  crash_loop.exit_code = 3;
  expect_rolled_back(swap_to(crash_loop), "crash-looping (restarted 1 time(s)");
}

// Neither RestartCount nor the event log shows the restart: StartedAt moving does.
TEST_F(SettleProofTest, AStartedAtThatChangesDuringTheWindowRollsBack) {
  FakeImageBehavior hidden_restart;
  hidden_restart.exits_after = Duration(700);
  hidden_restart.exit_code = 3;
  hidden_restart.restarts_counted = false;
  hidden_restart.events_logged = false;
  expect_rolled_back(swap_to(hidden_restart), "restarted during the settle window (started at");
}

// Every look shows a healthy container; only the engine's event log saw it die.
TEST_F(SettleProofTest, ADieOnlyTheEventLogSawRollsBack) {
  ctx.on_step = [&](int bot, SwapStep step) {
    if (step == SwapStep::Started)
      runtime.log_event(container_name(bot), "die", {{"exitCode", "3"}});
  };
  expect_rolled_back(swap_to({}), "exited with code 3 during the settle window (engine event log)");
}

TEST_F(SettleProofTest, ASecondStartInTheEventLogRollsBack) {
  ctx.on_step = [&](int bot, SwapStep step) {
    if (step == SwapStep::Started) runtime.log_event(container_name(bot), "start");
  };
  expect_rolled_back(swap_to({}), "started 2 times");
}

TEST_F(SettleProofTest, AHealthCheckStillStartingAtTheEndRollsBack) {
  FakeImageBehavior never_healthy;
  never_healthy.healthy_after = std::nullopt;
  auto began = clock.now();
  expect_rolled_back(swap_to(never_healthy, /*health_check=*/true),
                     "still waiting for its health check to report healthy (it reports "
                     "'starting')");
  // It waited for Docker's first verdict (38 s for this health check), not just the window.
  EXPECT_GE(clock.now() - began, Duration(38000));
}

TEST_F(SettleProofTest, AHealthCheckThatPassesLateIsConfirmedOnceHealthy) {
  FakeImageBehavior slow_login;
  slow_login.healthy_after = Duration(4000);
  auto bot = swap_to(slow_login, /*health_check=*/true);
  EXPECT_EQ(bot.outcome, BotSwapOutcome::swapped) << bot.reason << "\n" << log_text.str();
  EXPECT_GE(bot.timings.settle, Duration(4000));
}

TEST_F(SettleProofTest, AnUnhealthyVerdictRollsBack) {
  FakeImageBehavior unhealthy;
  unhealthy.unhealthy = true;
  unhealthy.healthy_after = Duration(1000);
  expect_rolled_back(swap_to(unhealthy, /*health_check=*/true), "health check reports unhealthy");
}

// A bot can log that it logged in while its health check times out: the reason carries
// Docker's own health-check output, not the bot's log lines.
TEST_F(SettleProofTest, AnUnhealthyRollbackSaysWhatTheHealthCheckSaidNotWhatTheBotLogged) {
  FakeImageBehavior unhealthy;
  unhealthy.unhealthy = true;
  unhealthy.healthy_after = Duration(1000);
  unhealthy.health_output = "Health check exceeded timeout (1s)\n";
  unhealthy.log_lines = {"bot539 logged into Steam"};
  auto bot = swap_to(unhealthy, /*health_check=*/true);
  expect_rolled_back(bot, "; last health check: Health check exceeded timeout (1s)");
  EXPECT_EQ(bot.reason.find("logged into Steam"), std::string::npos) << bot.reason;
}

// The third runtime call after the start is the second look's inspect (look = inspect, then
// the event log): the evidence stops arriving mid-window.
TEST_F(SettleProofTest, AnInspectThatFailsMidWindowRollsBack) {
  ctx.on_step = [&](int, SwapStep step) {
    if (step == SwapStep::Started) runtime.fail_call(runtime.call_count() + 3);
  };
  expect_rolled_back(swap_to({}), "the engine could not show that it stayed up");
}

TEST_F(SettleProofTest, AnEventLogThatFailsMidWindowRollsBack) {
  ctx.on_step = [&](int, SwapStep step) {
    if (step == SwapStep::Started) runtime.fail_call(runtime.call_count() + 4);
  };
  expect_rolled_back(swap_to({}), "the engine could not show that it stayed up");
}

TEST(HealthVerdictBound, UsesDockersDefaultsForUnsetFieldsAndNoneForNoCheck) {
  docker::ContainerInfo info;
  EXPECT_FALSE(health_verdict_bound(info));
  info.config["Healthcheck"] = {{"Test", {"NONE"}}};
  EXPECT_FALSE(health_verdict_bound(info));
  info.config["Healthcheck"] = {{"Test", {"CMD", "true"}}};
  // Interval 30 s, timeout 30 s, retries 3, no start period: 4 × 60 s.
  EXPECT_EQ(health_verdict_bound(info), Duration(240000));
  info.config["Healthcheck"]["StartPeriod"] = 5'000'000'000;
  info.config["Healthcheck"]["Interval"] = 2'000'000'000;
  info.config["Healthcheck"]["Timeout"] = 1'000'000'000;
  info.config["Healthcheck"]["Retries"] = 1;
  EXPECT_EQ(health_verdict_bound(info), Duration(5000 + 2 * 3000));
}

}  // namespace
}  // namespace drover::agent
