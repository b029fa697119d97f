#include "agent/recover.h"

#include "agent/bot_names.h"
#include "agent/rollback.h"
#include "agent/settle_proof.h"

namespace drover::agent {

std::string_view to_string(RecoverAction action) {
  switch (action) {
    case RecoverAction::None:
      return "none";
    case RecoverAction::RemovedPrev:
      return "removed_prev";
    case RecoverAction::RestoredPrev:
      return "restored_prev";
    case RecoverAction::Started:
      return "started";
    case RecoverAction::Failed:
      return "failed";
    case RecoverAction::Absent:
      return "absent";
  }
  return "unknown";
}

namespace {

RecoverResult recover_with_prev(AgentContext& ctx, int bot_id, Duration settle,
                                const std::optional<docker::ContainerInfo>& current) {
  const auto prev = prev_container_name(bot_id);
  if (current && why_not_up(current, current->restart_count).empty()) {
    SettleVerdict verdict;
    try {
      verdict = prove_settled(ctx, container_name(bot_id), settle);
    } catch (const docker::RuntimeError& e) {
      verdict = {false, std::string("the engine could not show that it stayed up: ") + e.what()};
    }
    if (verdict.confirmed) {
      ctx.runtime.remove_container(prev);
      ctx.log.bot(bot_id, "recover: the new container is up; removed leftover " + prev);
      return {bot_id, RecoverAction::RemovedPrev, "removed leftover " + prev};
    }
    ctx.log.bot(bot_id, "recover: the unconfirmed new container is not up (" + verdict.reason +
                            "); restoring " + prev);
  }
  auto problem = restore_prev(ctx, bot_id);
  if (!problem.empty()) {
    return {bot_id, RecoverAction::Failed,
            "restored " + prev + " as " + container_name(bot_id) + " but " + problem};
  }
  ctx.log.bot(bot_id, "recover: restored the previous container from " + prev);
  return {bot_id, RecoverAction::RestoredPrev, "restored the previous container from " + prev};
}

}  // namespace

RecoverResult recover_bot(AgentContext& ctx, int bot_id, Duration settle) {
  const auto name = container_name(bot_id);
  try {
    auto current = ctx.runtime.inspect_container(name);
    if (ctx.runtime.inspect_container(prev_container_name(bot_id))) {
      return recover_with_prev(ctx, bot_id, settle, current);
    }
    if (!current) return {bot_id, RecoverAction::Absent, "no container named " + name};
    if (current->state.running) return {bot_id, RecoverAction::None, ""};
    ctx.runtime.start_container(name);
    auto problem = why_not_up(ctx.runtime.inspect_container(name), current->restart_count);
    if (!problem.empty()) {
      return {bot_id, RecoverAction::Failed, "started the stopped " + name + " but " + problem};
    }
    ctx.log.bot(bot_id, "recover: started the stopped " + name);
    return {bot_id, RecoverAction::Started, "started the stopped " + name};
  } catch (const docker::RuntimeError& e) {
    return {bot_id, RecoverAction::Failed,
            std::string("the Docker engine refused a recovery step: ") + e.what() +
                " (run `drover-agent recover --bots " + std::to_string(bot_id) + "` again)"};
  }
}

}  // namespace drover::agent
