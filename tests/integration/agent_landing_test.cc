// An agent killed mid-swap leaves engine requests in flight that dockerd carries out after it
// is gone (agent/host_lock.h). Here the dead agent is the record it leaves in the host lock,
// written through the same FileHostLock the agent uses, and dockerd "finishing its request" is
// the test making that change on the real engine a moment after the next agent started. The
// next agent must let it land before it reads the bot, or it repairs a state that then changes
// under it: a late create leaves bot<ID>-next behind, a late stop leaves the bot down.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include "agent/host_lock.h"
#include "support/agent_process.h"
#include "support/bot_fleet.h"
#include "support/test_env.h"

namespace drover::testing {
namespace {

using Action = agent::InFlightRequest::Action;

// How long after the next agent starts the dead agent's request lands: enough that the agent
// has read the lock by then on an idle machine. On a busy one the request may land first,
// which the agent must handle as well; either way the end state is asserted, not the timing.
constexpr auto kLandsAfter = std::chrono::milliseconds(700);

class AgentLandingIT : public ::testing::Test {
 protected:
  AgentLandingIT() {
    lock_path = (std::filesystem::temp_directory_path() /
                 ("drover-agent-landing-it-" + std::to_string(getpid()) + ".lock"))
                    .string();
    std::filesystem::remove(lock_path);
  }
  ~AgentLandingIT() override { std::filesystem::remove(lock_path); }

  // What an agent killed with `request` unanswered leaves in the host lock.
  void dead_agent_left(Action action, const std::string& container, std::chrono::seconds longest) {
    std::ostringstream log_text;
    agent::ProgressLog log(log_text);
    agent::FileHostLock dead(lock_path);
    dead.acquire("swap", log);
    agent::InFlightRequest request;
    request.action = action;
    request.container = container;
    request.longest = longest;
    request.land_by = std::chrono::system_clock::now() + longest;
    dead.record_requests_in_flight({request});
  }

  AgentRun recover() {
    return run_agent(DROVER_AGENT_BIN, {"recover", "--bots", fleet.ids_arg(), "--settle", "1"},
                     {{"DROVER_AGENT_LOCK", lock_path}});
  }

  BotFleet fleet{{7311}};
  std::string lock_path;
};

TEST_F(AgentLandingIT, ACreateThatLandsAfterTheRecoverStartedIsStillRemoved) {
  fleet.run_all(image("bot", "v1"));
  dead_agent_left(Action::create, "bot7311-next", std::chrono::seconds(5));
  std::jthread dockerd_finishes([&] {
    std::this_thread::sleep_for(kLandsAfter);
    fleet.runtime().create_container("bot7311-next", {{"Image", image("bot", "v1")}});
  });
  auto run = recover();
  dockerd_finishes.join();
  EXPECT_EQ(run.process.exit_code, 0) << run.process.err;
  EXPECT_NE(run.process.err.find("ended before the engine answered create bot7311-next"),
            std::string::npos)
      << run.process.err;
  EXPECT_NE(run.process.err.find("the engine carried it out"), std::string::npos)
      << run.process.err;
  EXPECT_FALSE(fleet.runtime().inspect_container("bot7311-next")) << run.process.err;
  auto bot = fleet.runtime().inspect_container("bot7311");
  ASSERT_TRUE(bot);
  EXPECT_TRUE(bot->state.running);
}

TEST_F(AgentLandingIT, AStopThatLandsAfterTheRecoverStartedDoesNotLeaveTheBotDown) {
  fleet.run_all(image("bot", "v1"));
  const auto id = fleet.runtime().inspect_container("bot7311")->id;
  dead_agent_left(Action::stop, id, std::chrono::seconds(15));
  std::jthread dockerd_finishes([&] {
    std::this_thread::sleep_for(kLandsAfter);
    fleet.runtime().stop_container(id, std::chrono::seconds(10));
  });
  auto run = recover();
  dockerd_finishes.join();
  EXPECT_EQ(run.process.exit_code, 0) << run.process.err;
  EXPECT_NE(run.process.err.find("started the stopped bot7311"), std::string::npos)
      << run.process.err;
  auto bot = fleet.runtime().inspect_container("bot7311");
  ASSERT_TRUE(bot);
  EXPECT_TRUE(bot->state.running) << "the late stop left the bot down\n" << run.process.err;
}

TEST_F(AgentLandingIT, ARequestThatNeverLandsIsGivenUpOnAtItsTime) {
  fleet.run_all(image("bot", "v1"));
  dead_agent_left(Action::create, "bot7311-next", std::chrono::seconds(2));
  auto run = recover();
  EXPECT_EQ(run.process.exit_code, 0) << run.process.err;
  EXPECT_NE(run.process.err.find("no effect of create bot7311-next"), std::string::npos)
      << run.process.err;
  EXPECT_TRUE(fleet.runtime().inspect_container("bot7311")->state.running);
}

}  // namespace
}  // namespace drover::testing
