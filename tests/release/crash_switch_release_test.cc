// Built without DROVER_TEST_HOOKS, as a release drover-agent is: DROVER_AGENT_CRASH_AT names a
// step and the agent survives every step anyway (a SIGKILL would end this test as failed).
#include <gtest/gtest.h>
#include <stdlib.h>

#include "agent/crash_switch.h"

namespace drover::agent {
namespace {

TEST(ReleaseAgent, IgnoresTheCrashSwitch) {
  EXPECT_FALSE(crash_switch_compiled_in());
  for (auto step : all_swap_steps()) {
    const std::string name(to_string(step));
    SCOPED_TRACE(name);
    ASSERT_EQ(setenv("DROVER_AGENT_CRASH_AT", name.c_str(), 1), 0);
    auto observer = crash_switch_from_environment();
    for (auto passed : all_swap_steps()) observer(7, passed);
  }
  unsetenv("DROVER_AGENT_CRASH_AT");
  SUCCEED() << "every step passed with the switch set to each step";
}

}  // namespace
}  // namespace drover::agent
