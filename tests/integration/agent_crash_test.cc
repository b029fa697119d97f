// The crash invariant on the real engine: the agent is SIGKILLed at every step of a swap
// (and of a rollback) in turn; after one more agent run every bot has exactly one
// container, named bot<ID>, and it is running (no -prev, no unstarted -next left).
#include <gtest/gtest.h>

#include <algorithm>

#include "agent/swap_step.h"
#include "support/agent_process.h"
#include "support/bot_fleet.h"
#include "support/test_env.h"

namespace drover::testing {
namespace {

struct CrashCase {
  agent::SwapStep step;
  std::string target_tag;  // v2 for the swap path, broken for the rollback path
  bool repair_with_swap;   // the next run is `swap` (else `recover`)
};

std::vector<CrashCase> crash_cases() {
  std::vector<CrashCase> cases;
  bool alternate = false;
  for (auto step : agent::all_swap_steps()) {
    bool rollback_step =
        step == agent::SwapStep::RollbackRemovedNew || step == agent::SwapStep::RollbackRenamed;
    cases.push_back({step, rollback_step ? "broken" : "v2", alternate});
    alternate = !alternate;
  }
  // The steps of the create-before-stop swap (bot<ID>-next created while the old container
  // runs, then stop, rename to -prev, rename -next to bot<ID>) with the other repair too:
  // each is killed once and repaired by `recover` and once by `swap`.
  for (auto step : {agent::SwapStep::CreatedNext, agent::SwapStep::Stopped,
                    agent::SwapStep::RenamedToPrev, agent::SwapStep::RenamedNext}) {
    const auto first = std::find_if(cases.begin(), cases.end(),
                                    [step](const CrashCase& c) { return c.step == step; });
    cases.push_back({step, "v2", !first->repair_with_swap});
  }
  // The swap path up to the new container's start, with an image that then dies.
  for (auto step :
       {agent::SwapStep::CreatedNext, agent::SwapStep::RenamedNext, agent::SwapStep::Started}) {
    cases.push_back({step, "broken", false});
  }
  return cases;
}

class AgentCrashIT : public ::testing::TestWithParam<CrashCase> {
 protected:
  BotFleet fleet{{7301, 7302, 7303}};
};

TEST_P(AgentCrashIT, OneMoreRunLeavesEveryBotRunning) {
  if (!DROVER_AGENT_HAS_TEST_HOOKS) {
    GTEST_SKIP() << "drover-agent was built without -DDROVER_TEST_HOOKS=ON: it has no crash switch";
  }
  const auto& c = GetParam();
  fleet.run_all(image("bot", "v1"));
  auto step = std::string(agent::to_string(c.step));
  auto crashed = run_agent(DROVER_AGENT_BIN,
                           {"swap", "--bots", fleet.ids_arg(), "--image",
                            image("bot", c.target_tag), "--stop-timeout", "5", "--settle", "2"},
                           {{"DROVER_AGENT_CRASH_AT", step}});
  ASSERT_TRUE(crashed.killed()) << "the agent was not killed at " << step << "\n"
                                << crashed.process.err;

  AgentRun repair;
  if (c.repair_with_swap) {
    repair = run_agent(DROVER_AGENT_BIN,
                       {"swap", "--bots", fleet.ids_arg(), "--image", image("bot", c.target_tag),
                        "--stop-timeout", "5", "--settle", "2"});
  } else {
    repair = run_agent(DROVER_AGENT_BIN, {"recover", "--bots", fleet.ids_arg(), "--settle", "2"});
    EXPECT_EQ(repair.process.exit_code, 0) << repair.process.err << repair.process.out;
  }

  for (int id : fleet.ids()) {
    auto name = "bot" + std::to_string(id);
    auto info = fleet.runtime().inspect_container(name);
    ASSERT_TRUE(info) << name << " has no container after a crash at " << step << "\n"
                      << repair.process.err;
    EXPECT_TRUE(info->state.running)
        << name << " is " << info->state.status << " after a crash at " << step;
    EXPECT_FALSE(fleet.runtime().inspect_container(name + "-prev"))
        << name << "-prev left after a crash at " << step;
    EXPECT_FALSE(fleet.runtime().inspect_container(name + "-next"))
        << name << "-next left after a crash at " << step;
    if (c.repair_with_swap && c.target_tag == "v2") {
      EXPECT_EQ(info->image_ref, image("bot", "v2")) << "the repeated swap did not finish";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(EveryStep, AgentCrashIT, ::testing::ValuesIn(crash_cases()),
                         [](const auto& info) {
                           return std::string(agent::to_string(info.param.step)) + "_" +
                                  info.param.target_tag + "_then_" +
                                  (info.param.repair_with_swap ? "swap" : "recover");
                         });

}  // namespace
}  // namespace drover::testing
