#pragma once
// The operator's credentials for an image's registry, found the way the `docker` CLI finds
// them (registry/credential_lookup.h): the Docker client config at $DOCKER_CONFIG/config.json
// or ~/.docker/config.json, its credHelpers and credsStore helpers run as processes (argv, no
// shell), its auths. For an Amazon ECR registry the config says nothing about, drover asks
// ECR itself: GetAuthorizationToken in the registry's region, signed by drover's own SigV4
// client with its AWS credential chain (the same as for SSM: environment, profile, container,
// instance role), and uses the token's user and password ("AWS:…").
#include <functional>
#include <nlohmann/json.hpp>

#include "cli/registry/registry_authorizer.h"
#include "cli/state/state_dir.h"
#include "registry/ecr_registry.h"
#include "util/subprocess.h"

namespace drover::cli {

/// ECR's GetAuthorizationToken (JSON 1.1) for one registry: its output document. The real
/// side is AwsApis::ecr in the registry's region. Throws aws::AwsError.
using EcrTokenCall = std::function<nlohmann::json(const registry::EcrRegistry& registry)>;

/// The source resolve_digest asks when a registry challenges it. `env` gives DOCKER_CONFIG
/// and HOME; `ecr` is called only for an ECR registry with nothing configured.
RegistryCredentialsSource operator_registry_credentials(EnvLookup env, ProcessRunner& runner,
                                                        EcrTokenCall ecr);

/// The credentials in a GetAuthorizationToken answer for `registry`. Throws core::InputError
/// for `image` when the answer has no usable token.
registry::RegistryCredentials ecr_credentials_from(const nlohmann::json& answer,
                                                   const core::ImageReference& image);

}  // namespace drover::cli
