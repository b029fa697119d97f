// baseline's registry_access check (baseline_checks.h): can this host authenticate to the
// fleet's registry with its own credentials?
#include "agent/baseline_checks.h"
#include "registry/registry_credentials.h"
#include "registry/registry_names.h"

namespace drover::agent {

BaselineCheck check_registry_access(docker::ContainerRuntime& runtime,
                                    const core::ImageReference& image,
                                    const PullAuthLookup& registry_auth) {
  BaselineCheck check;
  check.check = "registry_access";
  check.found = "unknown";
  const std::string registry = registry::registry_display_name(image);
  PullAuth auth;
  try {
    auth = registry_auth(image);
  } catch (const registry::RegistryAuthError& e) {
    check.found = "unreadable";
    check.detail = std::string("this host's registry credentials cannot be read: ") + e.what();
    return check;
  }
  try {
    runtime.registry_manifest_digest(image.str(), auth.header);
    check.ok = true;
    check.found = auth.source.empty() ? "anonymous" : "accepted";
    check.detail = "registry " + registry + " serves " + image.str() + " to this host" +
                   (auth.source.empty() ? " without credentials"
                                        : " with its credentials from " + auth.source);
  } catch (const docker::RuntimeError& e) {
    if (is_registry_refusal(e)) {
      check.found = auth.source.empty() ? "no credentials" : "refused";
      check.detail = registry_refusal_reason(image, auth);
    } else if (e.status() == 404) {
      check.found = "absent";
      check.detail = "registry " + registry + " has no " + image.str() + ": " + e.what() +
                     " (push it, or check [fleet] image/default_tag in drover.toml)";
    } else {
      check.found = "unreachable";
      check.detail = "asking registry " + registry + " for " + image.str() +
                     " failed: " + e.what() + " (check that this host can reach the registry)";
    }
  }
  return check;
}

}  // namespace drover::agent
