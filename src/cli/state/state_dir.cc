#include "cli/state/state_dir.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "cli/state/storage_error.h"
#include "core/input_error.h"

namespace drover::cli {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> non_empty(const EnvLookup& env, const char* name) {
  auto value = env(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

// Creates each missing component of `dir` with mode 0700. std::filesystem::create_directories
// would use 0777 & ~umask, leaving the journals readable by everyone on a default umask.
void make_private_dirs(const fs::path& dir) {
  fs::path partial;
  for (const auto& part : dir) {
    partial /= part;
    if (::mkdir(partial.c_str(), 0700) == 0) continue;
    const int error = errno;
    std::error_code ec;
    // mkdir may answer EACCES rather than EEXIST for a directory that exists in a parent we
    // cannot write (e.g. /home); what matters is only that the component exists.
    if (error != EEXIST && !fs::is_directory(partial, ec)) {
      throw StorageError(
          partial, error,
          fmt::format("cannot create the state directory: {}", std::strerror(error)));
    }
  }
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw StorageError(dir, ENOTDIR, "the state directory is not a directory",
                       "remove what is there, or point DROVER_STATE_DIR elsewhere");
  }
}

}  // namespace

std::optional<std::string> process_env(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

fs::path state_root(const EnvLookup& env) {
  if (auto dir = non_empty(env, "DROVER_STATE_DIR")) return fs::path(*dir);
  if (auto xdg = non_empty(env, "XDG_STATE_HOME"); xdg && fs::path(*xdg).is_absolute()) {
    return fs::path(*xdg) / "drover";
  }
  if (auto home = non_empty(env, "HOME")) return fs::path(*home) / ".local" / "state" / "drover";
  throw core::InputError("state directory", "none of DROVER_STATE_DIR, XDG_STATE_HOME, HOME is set",
                         "set DROVER_STATE_DIR to a directory drover may write");
}

StateDir StateDir::open(const fs::path& root, const core::Fleet& fleet) {
  auto fleet_dir = root / fleet.name();
  make_private_dirs(fleet_dir / "deploys");
  return StateDir(fleet.name(), std::move(fleet_dir));
}

StateDir StateDir::open_for(const EnvLookup& env, const core::Fleet& fleet) {
  return open(state_root(env), fleet);
}

fs::path StateDir::journal_file(std::string_view deploy_id) const {
  return deploys_dir() / (std::string(deploy_id) + ".jsonl");
}

fs::path StateDir::origin_file(std::string_view deploy_id) const {
  return deploys_dir() / (std::string(deploy_id) + ".origin.json");
}

}  // namespace drover::cli
