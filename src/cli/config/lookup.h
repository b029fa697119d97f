#pragma once
// Which drover.toml a command reads. The first of these that is given wins, and a given one
// that does not exist is an error (never a silent fall-through to another file):
//   1. --config FILE
//   2. $DROVER_CONFIG (when set and not empty)
//   3. ./drover.toml
// The error for "none found" lists what was tried and how to create a configuration.
#include <optional>
#include <string>

namespace drover::cli {

struct ConfigLocation {
  std::string path;  // as the operator would write it: "drover.toml", "/etc/drover/prod.toml"
  std::string how;   // "--config", "$DROVER_CONFIG", "./drover.toml": where it came from
};

/// Finds the configuration file (reads $DROVER_CONFIG and the current directory). Throws
/// core::InputError saying which paths were tried when the chosen one is not a file.
ConfigLocation locate_config(const std::optional<std::string>& config_flag);

}  // namespace drover::cli
