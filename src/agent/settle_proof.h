#pragma once
// Proving that a freshly started container stayed up. A `docker start` that returns is not a
// bot that runs, and a container that looks fine at the moment we look may have died and been
// restarted in between (a crash loop under `unless-stopped`), or not have run its process yet
// on a loaded engine. So the new container is confirmed only on evidence that it ran without
// a break for the whole settle window, measured from its own start:
//   - a look at or after State.StartedAt + window shows it Running, not Restarting, with
//     RestartCount 0 and the same StartedAt as every earlier look;
//   - the engine's event log for the container since its creation has exactly one start and
//     no die, oom, kill, stop, restart, pause or unhealthy event;
//   - when its image has a health check, it reports healthy (not merely "not unhealthy").
// Anything else — evidence missing, late past the deadline, or contrary — is not a proof, and
// the caller rolls back. A slow engine makes the proof take longer; it never confirms a
// container that did not run.
#include <optional>
#include <string>

#include "agent/agent_context.h"

namespace drover::agent {

struct SettleVerdict {
  bool confirmed = false;
  std::string reason;  // why not, in words an operator can act on
  // When the health check is why: what its latest probe printed (Docker's words, e.g.
  // "Health check exceeded timeout (1s)"). The bot's own log lines would mislead then: a bot
  // can log that it logged in while its health check fails.
  std::string health_check_output;
};

/// The longest the proof waits for its evidence beyond the window: a process the engine
/// reports late, or a health check that has not reported yet.
struct SettleLimits {
  /// For the engine to report the container running at all (a loaded engine is slow).
  Duration start_grace{10000};
  /// For a health check's first verdict; past it "starting" is not a proof.
  Duration max_health_wait{std::chrono::minutes(10)};
};

/// Looks at the container at most every 500 ms until the proof is complete, a look
/// contradicts it, or the deadline passes: window + start_grace from now, extended for a
/// health check to what Docker needs to give its first verdict (start period + (retries + 1)
/// × (interval + timeout), capped at max_health_wait). Throws docker::RuntimeError when an
/// inspect or the event log fails (the caller counts that as not confirmed).
SettleVerdict prove_settled(AgentContext& ctx, const std::string& container, Duration window,
                            const SettleLimits& limits = {});

/// One look, for containers that are not being proven (an old container started again):
/// empty when the container is up, else why it is not. Restarts count from `initial_restarts`.
std::string why_not_up(const std::optional<docker::ContainerInfo>& info, int initial_restarts);

/// How long Docker may take to give a first health verdict for this container's health
/// check (Config.Healthcheck, Docker's defaults for unset fields); nullopt when it has none.
std::optional<Duration> health_verdict_bound(const docker::ContainerInfo& info);

}  // namespace drover::agent
