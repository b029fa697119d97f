#pragma once
// The named points of a swap. Tests kill the agent at each of them in turn (see
// DROVER_AGENT_CRASH_AT in crash_switch.h) to prove the crash invariant.
#include <functional>
#include <string_view>
#include <vector>

namespace drover::agent {

enum class SwapStep {
  Recovered,           // leftovers of an earlier swap repaired
  Pulled,              // the target image is local; nothing stopped yet
  CreatedNext,         // new container created as bot<ID>-next; old bot<ID> still running
  Stopped,             // old bot<ID> stopped
  RenamedToPrev,       // old container is now bot<ID>-prev
  RenamedNext,         // bot<ID>-next is now bot<ID>, not started
  Started,             // new bot<ID> started, settle window begins
  Pruned,              // unused images pruned, once every bot's new container has started
  Settled,             // new bot<ID> confirmed running
  RemovedPrev,         // bot<ID>-prev removed: the swap of this bot is complete
  RollbackRemovedNew,  // rolling back: the failed new container is gone
  RollbackRenamed,     // rolling back: bot<ID>-prev renamed back to bot<ID>
  RemovedOldImages,    // the images this swap left unused are removed
};

std::string_view to_string(SwapStep step);
/// All steps, in the order a swap (then a rollback) passes them.
const std::vector<SwapStep>& all_swap_steps();

/// Called after each step with the bot it concerns (0 for host-wide steps).
using SwapStepObserver = std::function<void(int bot_id, SwapStep step)>;

}  // namespace drover::agent
