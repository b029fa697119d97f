#pragma once
// The default login probe: the container's Docker HEALTHCHECK is taken to mean "logged in".
// Images whose healthcheck succeeds only after the Steam login make this exact; images with
// no HEALTHCHECK get `unknown`, never a guess.
#include "agent/login_probe.h"
#include "docker/container_runtime.h"

namespace drover::agent {

class HealthLoginProbe final : public LoginProbe {
 public:
  explicit HealthLoginProbe(docker::ContainerRuntime& runtime) : runtime_(runtime) {}
  /// healthy → logged_in; starting / unhealthy → not_logged_in; no healthcheck → unknown.
  LoginReading check(int bot_id, const docker::ContainerInfo& container) override;

 private:
  docker::ContainerRuntime& runtime_;
};

}  // namespace drover::agent
