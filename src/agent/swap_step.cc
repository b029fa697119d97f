#include "agent/swap_step.h"

namespace drover::agent {

std::string_view to_string(SwapStep step) {
  switch (step) {
    case SwapStep::Recovered:
      return "recovered";
    case SwapStep::Pulled:
      return "pulled";
    case SwapStep::Stopped:
      return "stopped";
    case SwapStep::RenamedToPrev:
      return "renamed_to_prev";
    case SwapStep::Created:
      return "created";
    case SwapStep::Started:
      return "started";
    case SwapStep::Settled:
      return "settled";
    case SwapStep::RemovedPrev:
      return "removed_prev";
    case SwapStep::RollbackRemovedNew:
      return "rollback_removed_new";
    case SwapStep::RollbackRenamed:
      return "rollback_renamed";
    case SwapStep::Pruned:
      return "pruned";
  }
  return "unknown";
}

const std::vector<SwapStep>& all_swap_steps() {
  static const std::vector<SwapStep> steps = {
      SwapStep::Recovered,       SwapStep::Pulled,      SwapStep::Stopped,
      SwapStep::RenamedToPrev,   SwapStep::Created,     SwapStep::Started,
      SwapStep::Settled,         SwapStep::RemovedPrev, SwapStep::RollbackRemovedNew,
      SwapStep::RollbackRenamed, SwapStep::Pruned};
  return steps;
}

}  // namespace drover::agent
