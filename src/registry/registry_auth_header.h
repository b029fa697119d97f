#pragma once
// The Docker Engine API's X-Registry-Auth header (engine-api-v1.41.yaml, "Authentication"):
// base64url of {"username","password","serveraddress"}, or {"identitytoken","serveraddress"}
// for a token login. The engine uses it for the pull's registry exchange (Basic or Bearer, as
// the registry's challenge says). The value is a secret: it is sent and never kept or shown.
#include <string>

#include "registry/registry_credentials.h"

namespace drover::registry {

std::string registry_auth_header(const RegistryCredentials& credentials,
                                 const std::string& server_address);

}  // namespace drover::registry
