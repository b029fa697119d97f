#pragma once
// A test hook: DROVER_AGENT_CRASH_AT=<step> kills the agent with SIGKILL right after that swap
// step (the names of swap_step.h), so the integration tests can prove the crash invariant on a
// real engine. It exists only in builds configured with -DDROVER_TEST_HOOKS=ON (scripts/test.sh
// turns it on); any other drover-agent never reads the variable and never kills itself.
#include "agent/swap_step.h"

namespace drover::agent {

/// Whether this build carries the hook.
bool crash_switch_compiled_in();

/// The step observer the environment asks for: with the hook compiled in and
/// DROVER_AGENT_CRASH_AT naming a step, one that raises SIGKILL after that step; otherwise one
/// that does nothing.
SwapStepObserver crash_switch_from_environment();

}  // namespace drover::agent
