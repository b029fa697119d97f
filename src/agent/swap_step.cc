#include "agent/swap_step.h"

#include "core/name_table.h"

namespace drover::agent {
namespace {

// The names DROVER_AGENT_CRASH_AT takes, in the order a swap (then a rollback) passes them.
constexpr core::NameTable<SwapStep, 13> kSwapStepNames{{
    {SwapStep::Recovered, "recovered"},
    {SwapStep::Pulled, "pulled"},
    {SwapStep::CreatedNext, "created_next"},
    {SwapStep::Stopped, "stopped"},
    {SwapStep::RenamedToPrev, "renamed_to_prev"},
    {SwapStep::RenamedNext, "renamed_next"},
    {SwapStep::Started, "started"},
    {SwapStep::Pruned, "pruned"},
    {SwapStep::Settled, "settled"},
    {SwapStep::RemovedPrev, "removed_prev"},
    {SwapStep::RollbackRemovedNew, "rollback_removed_new"},
    {SwapStep::RollbackRenamed, "rollback_renamed"},
    {SwapStep::RemovedOldImages, "removed_old_images"},
}};
static_assert(core::covers_every_value(kSwapStepNames));

}  // namespace

std::string_view to_string(SwapStep step) {
  return core::name_of(kSwapStepNames, step);
}

const std::vector<SwapStep>& all_swap_steps() {
  static const std::vector<SwapStep> steps = [] {
    std::vector<SwapStep> all;
    for (const auto& entry : kSwapStepNames) all.push_back(entry.value);
    return all;
  }();
  return steps;
}

}  // namespace drover::agent
