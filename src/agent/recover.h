#pragma once
// Repairing a half-done swap (an agent killed mid-swap, a host rebooted mid-swap). Runs as
// `drover-agent recover` and as the first step of every swap. After it, each bot has
// exactly one container named bot<ID>, running, on the old or the new image.
#include <string>

#include "agent/agent_context.h"

namespace drover::agent {

enum class RecoverAction {
  None,          // nothing was half-done
  RemovedPrev,   // bot<ID> is up: the leftover bot<ID>-prev was removed
  RestoredPrev,  // bot<ID> was missing or not up: bot<ID>-prev became bot<ID> again
  Started,       // bot<ID> existed but was stopped: started it
  Failed,        // could not get the bot running; `detail` says why
  Absent,        // neither bot<ID> nor bot<ID>-prev exists
};

std::string_view to_string(RecoverAction action);

struct RecoverResult {
  int bot_id = 0;
  RecoverAction action = RecoverAction::None;
  std::string detail;
  bool running() const {
    return action != RecoverAction::Failed && action != RecoverAction::Absent;
  }
};

/// When bot<ID> runs beside a leftover bot<ID>-prev, the new container was never confirmed:
/// it is watched for `settle` before the old one is dropped.
RecoverResult recover_bot(AgentContext& ctx, int bot_id, Duration settle);

}  // namespace drover::agent
