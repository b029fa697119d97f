#pragma once
// Everything the agent's commands touch outside their own memory, passed in so that unit
// tests run them against an in-memory runtime and a virtual clock.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "agent/progress_log.h"
#include "agent/registry_login.h"
#include "agent/swap_step.h"
#include "docker/container_runtime.h"
#include "util/clock.h"
#include "util/random.h"

namespace drover::agent {

/// Free bytes of the filesystem holding `path`; nullopt when it cannot be read.
using FreeBytesFn = std::function<std::optional<std::int64_t>(const std::string& path)>;

struct AgentContext {
  docker::ContainerRuntime& runtime;
  Clock& clock;
  Random& random;
  ProgressLog& log;
  FreeBytesFn free_bytes;
  SwapStepObserver on_step = [](int, SwapStep) {};
  /// The host's registry credentials for a pull (agent/registry_login.h).
  PullAuthLookup registry_auth = anonymous_pull_auth;
};

}  // namespace drover::agent
