#pragma once
// Where drover keeps what outlives one run: the deploy journals and the deploy lock.
//
//   <root>/                       $DROVER_STATE_DIR, else $XDG_STATE_HOME/drover,
//                                 else $HOME/.local/state/drover
//   <root>/<fleet>/lock           the fleet's deploy lock (lock/deploy_lock.h)
//   <root>/<fleet>/deploys/       one journal per deploy (deploy_journal.h)
//
// Directories drover creates are made 0700: journals and locks name operators and hosts.
// An existing directory keeps its mode, so a team may point DROVER_STATE_DIR at a shared
// directory on purpose (the lock is only as global as the directory it lives in).
// Nothing written under the state directory is secret; credentials never go there.
//
// Invariant of StateDir: its fleet's name is a core::Fleet's, so it passed core::check_fleet_name
// (a directory name that points nowhere else), and the fleet and deploys directories existed
// when it was constructed.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/fleet.h"

namespace drover::cli {

/// Reads one environment variable; nullopt when it is unset. Tests pass a map's lookup.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

/// The process environment (getenv).
std::optional<std::string> process_env(const std::string& name);

/// The state root per the order above. Empty variables count as unset, and a relative
/// XDG_STATE_HOME is ignored (as the XDG spec says). Throws core::InputError when even HOME
/// is unset. Touches no file.
std::filesystem::path state_root(const EnvLookup& env);

class StateDir {
 public:
  /// Creates <root>/<fleet name>/deploys as needed (each new directory 0700). Throws
  /// StorageError when a directory cannot be created or a path exists as something else.
  static StateDir open(const std::filesystem::path& root, const core::Fleet& fleet);
  /// open(state_root(env), fleet).
  static StateDir open_for(const EnvLookup& env, const core::Fleet& fleet);

  const std::string& fleet() const { return fleet_; }
  const std::filesystem::path& fleet_dir() const { return fleet_dir_; }
  std::filesystem::path deploys_dir() const { return fleet_dir_ / "deploys"; }
  std::filesystem::path lock_file() const { return fleet_dir_ / "lock"; }
  /// deploys/<id>.jsonl. `deploy_id` must already be a checked deploy id.
  std::filesystem::path journal_file(std::string_view deploy_id) const;
  /// deploys/<id>.origin.json: who ran the deploy (see deploy_journal.h).
  std::filesystem::path origin_file(std::string_view deploy_id) const;

 private:
  StateDir(std::string fleet, std::filesystem::path fleet_dir)
      : fleet_(std::move(fleet)), fleet_dir_(std::move(fleet_dir)) {}

  std::string fleet_;
  std::filesystem::path fleet_dir_;
};

}  // namespace drover::cli
