#pragma once
// The step every login probe starts with: is there a running container to judge at all?
// A missing or stopped bot is not logged in, whatever Docker health, its log or Redis say
// (a stopped bot can leave a stale "ok" behind in Redis).
#include <variant>

#include "agent/login_probe.h"
#include "docker/container_runtime.h"

namespace drover::agent {

/// Re-inspects `container` (by id, else by name) so that a caller polling with an old snapshot
/// still gets a current answer. Returns the fresh info of a running container, or the reading
/// that already decides the check: no container or not running → not_logged_in, the engine
/// failing → unknown.
std::variant<docker::ContainerInfo, LoginReading> current_running_container(
    docker::ContainerRuntime& runtime, const docker::ContainerInfo& container);

}  // namespace drover::agent
