// agent/bot_status.h on the in-memory engine and a virtual clock: a crash-looping bot caught
// in the moment the engine has it running is still reported crash-looping (restarting).
#include <gtest/gtest.h>

#include <sstream>

#include "agent/bot_names.h"
#include "agent/bot_status.h"
#include "core/verification.h"
#include "core/virtual_clock.h"
#include "support/fixed_random.h"
#include "support/in_memory_runtime.h"

namespace drover::agent {
namespace {

using nlohmann::json;

class AlwaysLoggedIn final : public LoginProbe {
 public:
  LoginReading check(int, const docker::ContainerInfo&) override {
    return {core::LoginState::logged_in, "test"};
  }
};

struct StatusWorld {
  core::VirtualClock clock;
  testing::InMemoryRuntime runtime{clock};
  testing::FixedRandom random{0};
  std::ostringstream log_text;
  ProgressLog log{log_text};
  AgentContext ctx{runtime, clock, random, log,
                   [](const std::string&) { return std::optional<std::int64_t>(50LL << 30); }};
  AlwaysLoggedIn probe;

  core::BotStatus status_of(int bot) { return read_bot_status(ctx, probe, {bot}, {}).front(); }
};

TEST(AgentBotStatus, ACrashLoopingBotCaughtRunningIsReportedRestarting) {
  StatusWorld w;
  testing::FakeImageBehavior crash_loop;
  crash_loop.exits_after = Duration(300);  // then the engine restarts it 100 ms later
  crash_loop.exit_code = 3;
  w.runtime.publish_image("127.0.0.1:5000/bot:broken", json::object(), crash_loop);
  w.runtime.add_running_container(container_name(539), "127.0.0.1:5000/bot:broken",
                                  {{"HostConfig", {{"RestartPolicy", {{"Name", "always"}}}}}});
  // Into its second run: running, with one restart behind it.
  w.clock.advance(Duration(450));
  const auto caught = w.runtime.inspect_container(container_name(539));
  ASSERT_TRUE(caught && caught->state.running && caught->restart_count == 1)
      << "the in-memory engine should have it running again by now";

  const auto status = w.status_of(539);
  EXPECT_FALSE(status.running);
  EXPECT_EQ(status.state, "restarting");
  EXPECT_GT(status.restart_count, 1);
  EXPECT_EQ(core::down_reason(status).rfind("crash-looping", 0), 0u) << core::down_reason(status);
}

TEST(AgentBotStatus, ABotThatRunsOnIsReportedRunningWithoutAWatch) {
  StatusWorld w;
  w.runtime.publish_image("127.0.0.1:5000/bot:v1", json::object());
  w.runtime.add_running_container(container_name(540), "127.0.0.1:5000/bot:v1");
  const auto before = w.clock.now();
  const auto status = w.status_of(540);
  EXPECT_TRUE(status.running);
  EXPECT_EQ(w.clock.now(), before) << "no restarts: nothing to watch";
}

}  // namespace
}  // namespace drover::agent
