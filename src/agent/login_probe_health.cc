#include "agent/login_probe_health.h"

#include "agent/login_probe_container.h"

namespace drover::agent {

LoginReading HealthLoginProbe::check(int /*bot_id*/, const docker::ContainerInfo& container) {
  auto current = current_running_container(runtime_, container);
  if (auto* decided = std::get_if<LoginReading>(&current)) return *decided;
  const auto& health = std::get<docker::ContainerInfo>(current).state.health;

  if (health.empty()) return {LoginState::unknown, "image has no HEALTHCHECK"};
  if (health == "healthy") return {LoginState::logged_in, "healthcheck says healthy"};
  if (health == "starting") {
    return {LoginState::not_logged_in, "healthcheck is still starting"};
  }
  if (health == "unhealthy") return {LoginState::not_logged_in, "healthcheck says unhealthy"};
  // A status this code does not know (a future engine) is reported, not interpreted.
  return {LoginState::unknown, "healthcheck status '" + health + "' is not one drover knows"};
}

}  // namespace drover::agent
