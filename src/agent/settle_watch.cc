#include "agent/settle_watch.h"

#include <algorithm>

namespace drover::agent {

std::string why_not_up(const std::optional<docker::ContainerInfo>& info, int initial_restarts) {
  if (!info) return "the container disappeared";
  const auto& state = info->state;
  if (state.oom_killed) return "it was killed for running out of memory (OOM)";
  if (state.restarting || info->restart_count > initial_restarts) {
    // While Docker restarts a container its ExitCode often reads 0: say it only when known.
    auto restarts = info->restart_count - initial_restarts;
    return fmt::format(
        "it is crash-looping ({}{})",
        restarts > 0 ? fmt::format("restarted {} time(s)", restarts)
                     : std::string("Docker is restarting it"),
        state.exit_code != 0 ? fmt::format(", last exit code {}", state.exit_code) : std::string());
  }
  if (!state.running) {
    auto why = state.status == "created" ? std::string("it never started")
                                         : fmt::format("it exited with code {}", state.exit_code);
    if (!state.error.empty()) why += " (" + state.error + ")";
    return why;
  }
  if (state.health == "unhealthy") return "its health check reports unhealthy";
  return "";
}

SettleVerdict watch_settle(AgentContext& ctx, const std::string& container, Duration window) {
  auto start = ctx.clock.now();
  auto first = ctx.runtime.inspect_container(container);
  int initial_restarts = first ? first->restart_count : 0;
  auto info = first;
  const Duration poll = std::min<Duration>(Duration(500), std::max<Duration>(window, Duration(1)));
  while (true) {
    if (auto why = why_not_up(info, initial_restarts); !why.empty()) return {false, why};
    auto elapsed = ctx.clock.now() - start;
    if (elapsed >= window) return {true, ""};
    ctx.clock.sleep_for(
        std::min<Duration>(poll, window - std::chrono::duration_cast<Duration>(elapsed)));
    info = ctx.runtime.inspect_container(container);
  }
}

}  // namespace drover::agent
