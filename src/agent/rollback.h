#pragma once
// Putting the old container back: the worst case of a swap is "stayed on the old image",
// never "bot down".
#include "agent/agent_context.h"

namespace drover::agent {

/// Removes bot<ID> if present, renames bot<ID>-prev back to bot<ID> and starts it.
/// Returns an empty string when the old container runs again, else what went wrong.
/// Throws docker::RuntimeError when the engine refuses a step.
std::string restore_prev(AgentContext& ctx, int bot_id);

}  // namespace drover::agent
