#pragma once
// How drover-agent authenticates the engine to the registry: the Docker Engine does not read
// the host's Docker client config (the `docker` CLI does, and sends what it finds as the
// X-Registry-Auth header), so the agent does the same. It reads the host's config.json
// (registry/docker_config.h), runs the credential helper it names (as a process, argv, no
// shell: e.g. docker-credential-ecr-login on an EC2 host with an instance role), and passes
// the result to the engine for the pull and for baseline's registry check.
//
// Where the config is: $DROVER_AGENT_DOCKER_CONFIG (a directory; the agent's own setting,
// which the tests use), else $DOCKER_CONFIG, else $HOME/.docker, else /root/.docker (the
// agent runs as root, and SSM Run Command starts it without HOME).
#include <functional>
#include <string>

#include "core/image_reference.h"
#include "docker/container_runtime.h"
#include "util/subprocess.h"

namespace drover::agent {

/// The credentials the engine will be given for one image's registry.
struct PullAuth {
  std::string header;       // the X-Registry-Auth value; "" pulls anonymously. A secret.
  std::string source;       // where they came from ("" when there are none), for messages
  std::string config_path;  // the config.json that was consulted, for messages
};

/// Finds the host's credentials for an image's registry. Throws registry::RegistryAuthError
/// when the config or its helper fails (a message that names them and holds no secret).
using PullAuthLookup = std::function<PullAuth(const core::ImageReference& image)>;

/// Anonymous pulls (the default of a test's AgentContext).
PullAuth anonymous_pull_auth(const core::ImageReference& image);

/// The real lookup: the Docker client config in `config_dir`, helpers run through `runner`.
PullAuthLookup host_pull_auth(std::string config_dir, ProcessRunner& runner);

/// The config directory as the header above says, from the environment's values.
std::string agent_docker_config_dir(const char* agent_override, const char* docker_config,
                                    const char* home);

/// Whether the engine's answer says the registry wanted (other) credentials: HTTP 401/403,
/// or the registry's words in a pull failure ("no basic auth credentials", "unauthorized",
/// "denied").
bool is_registry_refusal(const docker::RuntimeError& error);

/// What to tell the operator when the registry refused this host: that it has no
/// credentials (and how to configure them) or that the ones it has were refused.
std::string registry_refusal_reason(const core::ImageReference& image, const PullAuth& auth);

}  // namespace drover::agent
