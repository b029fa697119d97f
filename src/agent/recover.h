#pragma once
// Repairing a half-done swap (an agent killed mid-swap, a host rebooted mid-swap). Runs as
// `drover-agent recover` and as the first step of every swap. After it, each bot has
// exactly one container named bot<ID>, running, on the old or the new image.
#include <string>

#include "agent/agent_context.h"
#include "core/agent_report.h"

namespace drover::agent {

// The actions are the agent protocol's (core/agent_report.h): what the report says.
using core::RecoverAction;

struct RecoverResult {
  int bot_id = 0;
  RecoverAction action = RecoverAction::none;
  std::string detail;
  bool running() const {
    return action != RecoverAction::failed && action != RecoverAction::absent;
  }
};

/// When bot<ID> runs beside a leftover bot<ID>-prev, the new container was never confirmed:
/// it is watched for `settle` before the old one is dropped.
RecoverResult recover_bot(AgentContext& ctx, int bot_id, Duration settle);

}  // namespace drover::agent
