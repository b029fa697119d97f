#pragma once
// The fields of a Docker Engine API container create body (API 1.41, POST /containers/create)
// that drover.toml's [container] template may set, with the shape each value must have.
// Docker silently ignores fields it does not know, so without this a misspelt "RestartPolicy"
// would create bots that never restart after a reboot; with it, the template is checked when
// drover.toml is loaded, at every level where Docker defines the keys.
//
// Keys match Docker's spelling or any spelling that folds to it (case, '_' and '-' ignored):
// `env`, `Env`; `host_config`, `HostConfig`; `restart_policy.name`.
#include <span>
#include <string_view>

namespace drover::cli {

enum class DockerValueKind {
  string,
  strings,            // a list of strings
  string_or_strings,  // Cmd, Entrypoint, Healthcheck.Test: a string or a list of strings
  integer,
  boolean,
  string_map,  // free keys, string values (Labels, Sysctls)
  any,         // passed through as written (Mounts, PortBindings, …): Docker checks it
  object,      // known keys: `fields`
  refused,     // drover sets it, or it defeats a safeguard: `note` says why
};

struct DockerField {
  std::string_view name;  // Docker's spelling
  DockerValueKind kind = DockerValueKind::any;
  std::span<const DockerField> fields = {};        // for object
  std::span<const std::string_view> allowed = {};  // for string: the only accepted values
  std::string_view note = {};                      // for refused: why, and what to do instead
};

/// The top level of a create body.
std::span<const DockerField> docker_create_body_fields();

/// The field among `fields` whose name folds to the same word as `key`, or nullptr.
const DockerField* find_docker_field(std::span<const DockerField> fields, std::string_view key);

}  // namespace drover::cli
