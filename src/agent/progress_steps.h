#pragma once
// Which step of a swap the agent is at, for the live view of drover (core/agent_progress.h):
// each SwapStep it passes says what it does next. The steps are written to the progress log
// as "drover-agent: step: <word>" lines.
#include <optional>
#include <string_view>

#include "agent/progress_log.h"
#include "agent/swap_step.h"

namespace drover::agent {

/// What the swap does after `done` ("pull" after the leftovers are recovered, "start" after a
/// bot was stopped, …), or nullopt when the step does not begin a new one. `jitter`: the host
/// waits its jitter before the pull.
std::optional<std::string_view> progress_step_after(SwapStep done, bool jitter);

/// `observer`, and before it a step line on `log` for every step that begins a new one.
SwapStepObserver with_progress_steps(SwapStepObserver observer, ProgressLog& log, bool jitter);

}  // namespace drover::agent
