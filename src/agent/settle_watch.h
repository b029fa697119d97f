#pragma once
// Confirming that a freshly started container is really up: a `docker run` that returns
// is not a bot that runs. The container must stay running, not restarting, not unhealthy
// and not restart, for the whole settle window.
#include <string>

#include "agent/agent_context.h"

namespace drover::agent {

struct SettleVerdict {
  bool confirmed = false;
  std::string reason;  // why not, in words an operator can act on
};

/// Polls the container at most every 500 ms over `window`, and at least once.
SettleVerdict watch_settle(AgentContext& ctx, const std::string& container, Duration window);

/// One look: empty when the container is up, else why it is not.
std::string why_not_up(const std::optional<docker::ContainerInfo>& info, int initial_restarts);

}  // namespace drover::agent
