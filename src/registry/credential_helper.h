#pragma once
// The docker credential-helper protocol (github.com/docker/docker-credential-helpers), the
// `get` half: run `docker-credential-<name> get` (argv, no shell) with the registry's server
// address on stdin; the helper prints {"ServerURL":…,"Username":…,"Secret":…}. A user name of
// "<token>" means the secret is an identity token. A helper that has nothing for the registry
// exits non-zero saying "credentials not found in native keychain".
#include <chrono>
#include <optional>
#include <string>

#include "registry/registry_credentials.h"
#include "util/subprocess.h"

namespace drover::registry {

/// How long a helper may take: the ECR helper asks AWS, which may retry.
inline constexpr std::chrono::seconds kCredentialHelperTimeout{60};

/// The program name of helper `name`: "docker-credential-" + name.
std::string credential_helper_program(const std::string& name);

/// Runs helper `name` for `server_address`. nullopt when it has no credentials for it. Throws
/// RegistryAuthError when the helper is not installed, times out, fails otherwise or prints
/// something that is not its answer; the message names the helper and the registry, and
/// quotes the helper's own complaint only when it failed (never its answer, which holds the
/// secret).
std::optional<RegistryCredentials> run_credential_helper(ProcessRunner& runner,
                                                         const std::string& name,
                                                         const std::string& server_address);

}  // namespace drover::registry
