#include "agent/crash_switch.h"

#ifdef DROVER_TEST_HOOKS
#include <signal.h>

#include <cstdlib>
#include <string>
#endif

namespace drover::agent {

#ifdef DROVER_TEST_HOOKS

bool crash_switch_compiled_in() {
  return true;
}

SwapStepObserver crash_switch_from_environment() {
  const char* at = std::getenv("DROVER_AGENT_CRASH_AT");
  if (!at || !*at) return [](int, SwapStep) {};
  std::string step_name = at;
  return [step_name](int, SwapStep step) {
    if (to_string(step) == step_name) raise(SIGKILL);
  };
}

#else

bool crash_switch_compiled_in() {
  return false;
}

SwapStepObserver crash_switch_from_environment() {
  return [](int, SwapStep) {};
}

#endif

}  // namespace drover::agent
