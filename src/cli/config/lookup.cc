#include "cli/config/lookup.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "core/input_error.h"
#include "core/printable_text.h"

namespace drover::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kEnvironmentVariable = "DROVER_CONFIG";
constexpr const char* kDefaultName = "drover.toml";
constexpr const char* kHowToCreate =
    "create drover.toml in this directory (demo/drover.toml is a complete example: [fleet] with "
    "name and image, then one [[hosts]] per host with its bots), or pass --config FILE, or set "
    "DROVER_CONFIG=FILE";

// "" when `path` is a readable regular file; otherwise why it is not.
std::string why_not_a_file(const std::string& path) {
  std::error_code error;
  auto status = fs::status(path, error);
  if (error || !fs::exists(status)) {
    return "no such file";
  }
  if (fs::is_directory(status)) {
    return "is a directory, not a file";
  }
  if (!fs::is_regular_file(status)) {
    return "is not a regular file";
  }
  return "";
}

}  // namespace

ConfigLocation locate_config(const std::optional<std::string>& config_flag) {
  if (config_flag) {
    if (auto why = why_not_a_file(*config_flag); !why.empty()) {
      throw core::InputError("--config " + core::printable(*config_flag), why,
                             "check the path; without --config drover reads $DROVER_CONFIG, "
                             "then ./drover.toml");
    }
    return {*config_flag, "--config"};
  }
  const char* from_env = std::getenv(kEnvironmentVariable);
  if (from_env && *from_env) {
    const std::string path = from_env;
    if (auto why = why_not_a_file(path); !why.empty()) {
      throw core::InputError(
          "$DROVER_CONFIG", "names " + core::printable(path) + ": " + why,
          "fix or unset DROVER_CONFIG, or pass --config FILE (it takes precedence)");
    }
    return {path, "$DROVER_CONFIG"};
  }
  if (auto why = why_not_a_file(kDefaultName); !why.empty()) {
    std::error_code error;
    auto here = fs::current_path(error);
    const std::string shown = error ? "./drover.toml" : (here / kDefaultName).string();
    throw core::InputError(
        "configuration",
        "no drover.toml found; tried: --config (not given), $DROVER_CONFIG (not set), " +
            core::printable(shown) + " (" + why + ")",
        kHowToCreate);
  }
  return {kDefaultName, "./drover.toml"};
}

}  // namespace drover::cli
