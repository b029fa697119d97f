#include "agent/progress_steps.h"

#include <utility>

namespace drover::agent {

std::optional<std::string_view> progress_step_after(SwapStep done, bool jitter) {
  switch (done) {
    case SwapStep::Recovered:
      return jitter ? "jitter" : "pull";  // after the jitter, host_swap says "pull" itself
    case SwapStep::Pulled:
      return "create";  // each bot's new container, beside the old one still running
    case SwapStep::CreatedNext:
      return "stop";
    case SwapStep::Stopped:
      return "start";
    case SwapStep::Started:
      return "settle";
    case SwapStep::RemovedOldImages:
      return "login";  // every bot is settled (or rolled back); the login poll follows
    default:
      return std::nullopt;
  }
}

SwapStepObserver with_progress_steps(SwapStepObserver observer, ProgressLog& log, bool jitter) {
  return [observer = std::move(observer), &log, jitter](int bot_id, SwapStep step) {
    if (auto next = progress_step_after(step, jitter)) {
      log.step(*next);
    }
    if (observer) {
      observer(bot_id, step);
    }
  };
}

}  // namespace drover::agent
