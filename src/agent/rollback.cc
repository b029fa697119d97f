#include "agent/rollback.h"

#include "agent/bot_names.h"
#include "agent/settle_proof.h"

namespace drover::agent {

std::string restore_prev(AgentContext& ctx, int bot_id) {
  const auto name = container_name(bot_id);
  const auto prev = prev_container_name(bot_id);
  if (auto current = ctx.runtime.inspect_container(name)) {
    ctx.runtime.remove_container(current->id);
  }
  ctx.on_step(bot_id, SwapStep::RollbackRemovedNew);
  ctx.runtime.rename_container(prev, name);
  ctx.on_step(bot_id, SwapStep::RollbackRenamed);
  auto before = ctx.runtime.inspect_container(name);
  ctx.runtime.start_container(name);
  return why_not_up(ctx.runtime.inspect_container(name), before ? before->restart_count : 0);
}

}  // namespace drover::agent
