#include "agent/settle_proof.h"

#include <algorithm>

#include "core/printable_text.h"
#include "util/rfc3339.h"

namespace drover::agent {
namespace {

constexpr Duration kLookInterval{500};
constexpr std::int64_t kNanosPerSecond = 1'000'000'000;

std::int64_t nanos_of(Duration d) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
}

std::int64_t unix_nanos(WallTime t) {
  return t.time_since_epoch().count();
}

std::string seconds_text(Duration d) {
  return fmt::format("{:.1f}s", static_cast<double>(d.count()) / 1000.0);
}

// The exit code Docker reports, only when it is known: while Docker restarts a container
// its ExitCode often reads 0.
std::string last_exit(const docker::ContainerState& state) {
  return state.exit_code != 0 ? fmt::format(", last exit code {}", state.exit_code) : "";
}

// What one look says against the container being up; "" when nothing does. A container the
// engine has created but not yet started is not (yet) a contradiction.
std::string contradiction(const docker::ContainerInfo& info, int initial_restarts) {
  const auto& state = info.state;
  if (state.oom_killed) return "it was killed for running out of memory (OOM)";
  if (state.restarting || info.restart_count > initial_restarts) {
    const auto restarts = info.restart_count - initial_restarts;
    return fmt::format("it is crash-looping ({}{})",
                       restarts > 0 ? fmt::format("restarted {} time(s)", restarts)
                                    : std::string("Docker is restarting it"),
                       last_exit(state));
  }
  if (state.status == "paused") return "it is paused";
  if (!state.running && state.status != "created") {
    auto why = fmt::format("it exited with code {}", state.exit_code);
    if (!state.error.empty()) why += " (" + state.error + ")";
    return why;
  }
  if (state.health == "unhealthy") return "its health check reports unhealthy";
  return "";
}

// What the engine's event log says against an unbroken run; "" when nothing does.
std::string contrary_event(const std::vector<docker::ContainerEvent>& events) {
  int starts = 0;
  for (const auto& event : events) {
    const auto& action = event.action;
    const auto attribute = [&](const std::string& key) {
      auto it = event.attributes.find(key);
      return it == event.attributes.end() ? std::string("?") : it->second;
    };
    if (action == "start") {
      ++starts;
    } else if (action == "die") {
      return fmt::format("it exited with code {} during the settle window (engine event log)",
                         attribute("exitCode"));
    } else if (action == "oom") {
      return "it ran out of memory (OOM) during the settle window (engine event log)";
    } else if (action == "kill") {
      return fmt::format("it was sent signal {} during the settle window (engine event log)",
                         attribute("signal"));
    } else if (action == "stop" || action == "restart" || action == "pause") {
      return fmt::format("it was {} during the settle window (engine event log)",
                         action == "stop"      ? "stopped"
                         : action == "restart" ? "restarted"
                                               : "paused");
    } else if (action == "health_status: unhealthy") {
      return "its health check reported unhealthy during the settle window (engine event log)";
    }
  }
  if (starts > 1) {
    return fmt::format("it was started {} times during the settle window (crash-looping)", starts);
  }
  return "";
}

// The health check's setting in nanoseconds, or Docker's default when unset (0 or absent).
std::int64_t health_setting(const nlohmann::json& check, const char* key, std::int64_t fallback) {
  const auto it = check.find(key);
  if (it == check.end() || !it->is_number_integer() || it->get<std::int64_t>() <= 0) {
    return fallback;
  }
  return it->get<std::int64_t>();
}

// Events are read from the start of the second the container was created: its id is new,
// so everything logged for it since is about this container.
std::int64_t events_since(const docker::ContainerInfo& info, std::int64_t started) {
  auto created = parse_rfc3339_unix_nanos(info.created);
  auto since = created && *created > 0 ? std::min(*created, started) : started;
  return since - since % kNanosPerSecond;
}

}  // namespace

std::optional<Duration> health_verdict_bound(const docker::ContainerInfo& info) {
  const auto check = info.config.find("Healthcheck");
  if (check == info.config.end() || !check->is_object()) return std::nullopt;
  const auto test = check->find("Test");
  if (test == check->end() || !test->is_array() || test->empty()) return std::nullopt;
  if ((*test)[0] == "NONE") return std::nullopt;
  constexpr std::int64_t kDefault = 30 * kNanosPerSecond;  // Docker's interval and timeout
  const auto interval = health_setting(*check, "Interval", kDefault);
  const auto timeout = health_setting(*check, "Timeout", kDefault);
  const auto start_period = health_setting(*check, "StartPeriod", 0);
  const auto retries = health_setting(*check, "Retries", 3);
  // Docker probes every interval (each probe may take up to timeout); failures inside the
  // start period do not count, and `retries` failures after it make the container unhealthy.
  const auto nanos = start_period + (retries + 1) * (interval + timeout);
  return std::chrono::duration_cast<Duration>(std::chrono::nanoseconds(nanos));
}

std::string why_not_up(const std::optional<docker::ContainerInfo>& info, int initial_restarts) {
  if (!info) return "the container disappeared";
  if (!info->state.running && info->state.status == "created") return "it never started";
  return contradiction(*info, initial_restarts);
}

namespace {

// A refusal, with the health check's own output when the check is what refused.
SettleVerdict refused(const docker::ContainerInfo& info, std::string reason, bool about_health) {
  SettleVerdict verdict{false, std::move(reason), ""};
  if (about_health) {
    verdict.health_check_output = core::printable(info.state.health_output);
    if (verdict.health_check_output.size() > 300) {
      verdict.health_check_output = verdict.health_check_output.substr(0, 297) + "...";
    }
  }
  return verdict;
}

}  // namespace

SettleVerdict prove_settled(AgentContext& ctx, const std::string& container, Duration window,
                            const SettleLimits& limits) {
  const auto began = ctx.clock.now();
  auto deadline = began + limits.start_grace + window;
  bool deadline_set = false;
  std::optional<std::int64_t> first_start;
  std::string first_start_text;
  std::string waiting_for;
  while (true) {
    const auto info = ctx.runtime.inspect_container(container);
    if (!info) return {false, "the container disappeared", {}};
    // RestartCount counts from 0: a new container that restarted even once is not proven.
    if (auto why = contradiction(*info, 0); !why.empty())
      return refused(*info, why, why.starts_with("its health check"));
    const auto health_bound = health_verdict_bound(*info);
    if (!deadline_set && health_bound) {
      deadline = std::max(
          deadline, began + limits.start_grace + std::min(*health_bound, limits.max_health_wait));
    }
    deadline_set = true;

    std::optional<Duration> window_left;
    const auto started =
        info->state.running ? parse_rfc3339_unix_nanos(info->state.started_at) : std::nullopt;
    if (!info->state.running) {
      waiting_for = "the engine to run it (it is '" + info->state.status + "')";
    } else if (!started || *started <= 0) {
      waiting_for = "the engine to report when it started";
    } else {
      if (first_start && *started != *first_start) {
        return refused(*info,
                       fmt::format("it restarted during the settle window (started at {}, then "
                                   "again at {})",
                                   first_start_text, info->state.started_at),
                       false);
      }
      first_start = started;
      first_start_text = info->state.started_at;
      const auto now_wall = unix_nanos(ctx.clock.wall_now());
      if (auto why = contrary_event(
              ctx.runtime.container_events(info->id, events_since(*info, *started), now_wall));
          !why.empty()) {
        return refused(*info, why, why.find("health check") != std::string::npos);
      }
      const auto ran = now_wall - *started;
      if (ran < nanos_of(window)) {
        window_left =
            std::chrono::duration_cast<Duration>(std::chrono::nanoseconds(nanos_of(window) - ran));
        waiting_for = "the settle window to pass";
      } else if (health_bound && info->state.health != "healthy") {
        waiting_for = "its health check to report healthy (it reports '" +
                      (info->state.health.empty() ? std::string("nothing") : info->state.health) +
                      "')";
      } else {
        return {true, "", {}};
      }
    }

    const auto now = ctx.clock.now();
    if (now >= deadline) {
      return refused(*info,
                     fmt::format("not proven to stay up within {}: still waiting for {}",
                                 seconds_text(now - began), waiting_for),
                     waiting_for.starts_with("its health check"));
    }
    auto nap = std::min<Duration>(kLookInterval, deadline - now);
    if (window_left) nap = std::min(nap, std::max<Duration>(*window_left, Duration(1)));
    ctx.clock.sleep_for(nap);
  }
}

}  // namespace drover::agent
