// The crash switch of a test build (-DDROVER_TEST_HOOKS=ON, as scripts/test.sh builds):
// DROVER_AGENT_CRASH_AT=<step> kills the agent right after that step and at no other.
// tests/release/ proves that a build without the option ignores the variable.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include "agent/crash_switch.h"

namespace drover::agent {
namespace {

class CrashSwitch : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!crash_switch_compiled_in()) {
      GTEST_SKIP() << "built without -DDROVER_TEST_HOOKS=ON: there is no crash switch";
    }
  }
  void TearDown() override { unsetenv("DROVER_AGENT_CRASH_AT"); }
};

TEST_F(CrashSwitch, KillsRightAfterTheNamedStepOnly) {
  ASSERT_EQ(setenv("DROVER_AGENT_CRASH_AT", "renamed_to_prev", 1), 0);
  auto observer = crash_switch_from_environment();
  observer(7, SwapStep::Stopped);  // another step: nothing happens
  EXPECT_EXIT(observer(7, SwapStep::RenamedToPrev), ::testing::KilledBySignal(SIGKILL), "");
}

TEST_F(CrashSwitch, UnsetOrUnknownStepsNeverKill) {
  unsetenv("DROVER_AGENT_CRASH_AT");
  auto unset = crash_switch_from_environment();
  ASSERT_EQ(setenv("DROVER_AGENT_CRASH_AT", "no_such_step", 1), 0);
  auto unknown = crash_switch_from_environment();
  for (auto step : all_swap_steps()) {
    unset(7, step);
    unknown(7, step);
  }
  SUCCEED() << "survived every step";
}

}  // namespace
}  // namespace drover::agent
