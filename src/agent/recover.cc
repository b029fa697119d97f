#include "agent/recover.h"

#include "agent/bot_names.h"
#include "agent/rollback.h"
#include "agent/settle_proof.h"

namespace drover::agent {

namespace {

RecoverResult recover_with_prev(AgentContext& ctx, int bot_id, Duration settle,
                                const std::optional<docker::ContainerInfo>& current) {
  const auto prev = prev_container_name(bot_id);
  if (current && why_not_up(current, current->restart_count).empty()) {
    SettleVerdict verdict;
    try {
      verdict = prove_settled(ctx, container_name(bot_id), settle);
    } catch (const docker::RuntimeError& e) {
      verdict = {
          false, std::string("the engine could not show that it stayed up: ") + e.what(), {}};
    }
    if (verdict.confirmed) {
      ctx.runtime.remove_container(prev);
      ctx.log.bot(bot_id, "recover: the new container is up; removed leftover " + prev);
      return {bot_id, RecoverAction::removed_prev, "removed leftover " + prev};
    }
    ctx.log.bot(bot_id, "recover: the unconfirmed new container is not up (" + verdict.reason +
                            "); restoring " + prev);
  }
  auto problem = restore_prev(ctx, bot_id);
  if (!problem.empty()) {
    return {bot_id, RecoverAction::failed,
            "restored " + prev + " as " + container_name(bot_id) + " but " + problem};
  }
  ctx.log.bot(bot_id, "recover: restored the previous container from " + prev);
  return {bot_id, RecoverAction::restored_prev, "restored the previous container from " + prev};
}

// bot<ID> and bot<ID>-prev back to the invariant.
RecoverResult recover_names(AgentContext& ctx, int bot_id, Duration settle) {
  const auto name = container_name(bot_id);
  auto current = ctx.runtime.inspect_container(name);
  if (ctx.runtime.inspect_container(prev_container_name(bot_id))) {
    return recover_with_prev(ctx, bot_id, settle, current);
  }
  if (!current) return {bot_id, RecoverAction::absent, "no container named " + name};
  if (current->state.running) return {bot_id, RecoverAction::none, ""};
  ctx.runtime.start_container(name);
  auto problem = why_not_up(ctx.runtime.inspect_container(name), current->restart_count);
  if (!problem.empty()) {
    return {bot_id, RecoverAction::failed, "started the stopped " + name + " but " + problem};
  }
  ctx.log.bot(bot_id, "recover: started the stopped " + name);
  return {bot_id, RecoverAction::started, "started the stopped " + name};
}

RecoverResult recover_once(AgentContext& ctx, int bot_id, Duration settle) {
  auto result = recover_names(ctx, bot_id, settle);
  // A swap creates bot<ID>-next while the old container runs and renames it to bot<ID> before
  // it ever starts: a leftover -next never ran, nothing depends on it, and the next swap
  // creates its own. It goes last, once bot<ID> is settled, so it never decides anything.
  const auto next = next_container_name(bot_id);
  const auto leftover = ctx.runtime.inspect_container(next);
  if (!leftover) return result;
  ctx.runtime.remove_container(leftover->id);
  ctx.log.bot(bot_id, "recover: removed leftover " + next + " (created, never started)");
  if (result.action == RecoverAction::none) {
    return {bot_id, RecoverAction::removed_next, "removed leftover " + next};
  }
  result.detail = "removed leftover " + next + (result.detail.empty() ? "" : "; " + result.detail);
  return result;
}

}  // namespace

RecoverResult recover_bot(AgentContext& ctx, int bot_id, Duration settle) {
  // A killed agent can leave engine requests in flight: dockerd finishes a create or a
  // rename after its client died, so the names recovery read a moment ago may have changed
  // under it (a rename then meets a name conflict). Every attempt reads the state afresh,
  // so trying again once those requests have landed is safe.
  constexpr int kAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    try {
      return recover_once(ctx, bot_id, settle);
    } catch (const docker::RuntimeError& e) {
      if (attempt == kAttempts) {
        return {bot_id, RecoverAction::failed,
                std::string("the Docker engine refused a recovery step ") +
                    std::to_string(kAttempts) + " times: " + e.what() +
                    " (run `drover-agent recover --bots " + std::to_string(bot_id) + "` again)"};
      }
      ctx.log.bot(bot_id, std::string("recover: the engine refused a step (") + e.what() +
                              "); reading the state again");
      ctx.clock.sleep_for(std::chrono::seconds(attempt));
    }
  }
}

}  // namespace drover::agent
