#pragma once
// Before a command that changes bots reads any of them: the engine requests a previous agent
// died waiting for (agent/host_lock.h) are let land. Each is watched for its effect on the
// engine (the container created, stopped, renamed, started or gone) and given up on at its
// land-by time: a request that never reached the engine shows no effect, and a request's
// effect after that time is not to be expected.
#include "agent/agent_context.h"
#include "agent/host_lock.h"

namespace drover::agent {

/// How often the engine is asked whether a request has landed.
inline constexpr Duration kLandingPollInterval{100};

/// Returns once every request in `left` has landed or is past its time; says on the log what
/// it waits for and how that ended. Throws docker::RuntimeError when the engine does not answer.
void wait_for_landing(AgentContext& ctx, const UnansweredRequests& left);

}  // namespace drover::agent
