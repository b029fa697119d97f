#include "agent/login_probe_container.h"

#include <exception>
#include <string>

namespace drover::agent {

std::variant<docker::ContainerInfo, LoginReading> current_running_container(
    docker::ContainerRuntime& runtime, const docker::ContainerInfo& container) {
  // The id survives the swap's renames; the name is only a fallback for callers that never
  // had an id (a bot whose container was looked up by name and not found has neither).
  const std::string& ref = container.id.empty() ? container.name : container.id;
  if (ref.empty()) return LoginReading{LoginState::not_logged_in, "the bot has no container"};

  std::optional<docker::ContainerInfo> fresh;
  try {
    fresh = runtime.inspect_container(ref);
  } catch (const std::exception& e) {
    return LoginReading{LoginState::unknown,
                        std::string("could not inspect the container: ") + e.what()};
  }
  std::string label = container.name.empty() ? ref : container.name;
  if (!fresh) {
    return LoginReading{LoginState::not_logged_in, "container " + label + " no longer exists"};
  }
  // Docker reports Running=true for a restarting or paused container: neither is serving.
  if (!fresh->state.running || fresh->state.restarting || fresh->state.status == "paused") {
    std::string status = fresh->state.status.empty() ? "not running" : fresh->state.status;
    std::string detail = "container " + label + " is " + status;
    if (status == "exited" || status == "dead") {
      detail += " (exit code " + std::to_string(fresh->state.exit_code) + ")";
    }
    return LoginReading{LoginState::not_logged_in, detail};
  }
  return *std::move(fresh);
}

}  // namespace drover::agent
