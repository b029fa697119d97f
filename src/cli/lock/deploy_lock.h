#pragma once
// One deploy per fleet at a time: <state>/<fleet>/lock, created with O_CREAT|O_EXCL and
// holding one JSON line
//   {"v":1,"holder":"alice@ops-1","pid":4242,"started_at":"2026-06-12T10:00:00Z",
//    "deploy_id":"6ca32b16-…","command":"drover deploy all routine -y",
//    "machine":"3d1219c7…"}
//
// Acquiring either creates the file or throws LockHeld naming the holder. A lock is stale
// only when drover can prove it: it was written on this same machine (the same machine id,
// /etc/machine-id; not the host name, which two machines, two containers or a shared
// Parameter Store lock can share) and its pid no longer exists. A stale lock is never taken
// over silently: LockHeld says whose it was, since when, and that `drover unlock` breaks it.
// A lock from another machine, one without a machine id (written by an older drover), or one
// whose pid exists (perhaps reused) looks live and only `drover unlock --force` breaks it. A lock
// file that cannot be read (a drover died while creating it, or someone edited it) is reported as
// such and also needs --force. DeployLock releases on destruction (normal end, exceptions, Ctrl-C
// handled by unwinding); a crash leaves the file, and the next operator gets the stale message. The
// lock holds nothing secret: who, where, when, which deploy, the command summary.
#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "cli/lock/operator_identity.h"

namespace drover::cli {

/// The content of a lock file. When the file could not be read, `unreadable` says why and
/// the other fields are empty.
struct LockHolder {
  std::string holder;  // "alice@ops-1"
  pid_t pid = 0;
  std::string started_at;  // ISO 8601 UTC
  std::string deploy_id;
  std::string command;
  std::string unreadable;    // "" for a readable lock
  std::string machine = {};  // the writer's machine id; "" in a lock of an older drover

  bool operator==(const LockHolder&) const = default;
};

/// What the lock asks of the OS, injectable so tests decide time and liveness.
struct LockEnvironment {
  OperatorIdentity self;
  pid_t pid = 0;
  std::function<std::string()> now_utc;  // "2026-06-12T10:00:00Z"
  std::function<bool(pid_t)> pid_alive;  // false only when the pid surely does not exist
  /// This machine's id (read_machine_id()); "" when unknown, and then no lock is provably ours.
  std::string machine_id = {};

  /// current_operator(), getpid(), the system clock, kill(pid, 0) != ESRCH, read_machine_id().
  static LockEnvironment real();
};

/// The machine's identity: /etc/machine-id (else /var/lib/dbus/machine-id), trimmed; "" when
/// neither can be read. Unlike the host name it differs between machines and containers.
std::string read_machine_id();

/// How a found lock looks from here.
enum class LockState { live, stale, unreadable };
LockState judge_lock(const LockHolder& holder, const LockEnvironment& env);

/// The fleet's lock is held. where()/problem()/fix() make the CLI's one error line; the
/// exit code is core::ExitCode::lock_held.
class LockHeld : public std::runtime_error {
 public:
  LockHeld(std::string fleet, LockHolder holder, LockState state, bool breaking);

  const LockHolder& holder() const { return holder_; }
  LockState state() const { return state_; }
  bool stale() const { return state_ == LockState::stale; }
  const std::string& where() const { return where_; }
  const std::string& problem() const { return problem_; }
  const std::string& fix() const { return fix_; }

 private:
  LockHolder holder_;
  LockState state_;
  std::string where_;
  std::string problem_;
  std::string fix_;
};

/// A held fleet lock. Move-only; releases on destruction.
class DeployLock {
 public:
  /// Creates `lock_file` for this deploy. Throws LockHeld when it exists (live, stale or
  /// unreadable), StorageError when it cannot be written.
  static DeployLock acquire(const std::filesystem::path& lock_file, std::string fleet,
                            std::string deploy_id, std::string command, const LockEnvironment& env);

  DeployLock(DeployLock&& other) noexcept;
  DeployLock& operator=(DeployLock&&) = delete;
  DeployLock(const DeployLock&) = delete;
  DeployLock& operator=(const DeployLock&) = delete;
  ~DeployLock();

  /// Removes the lock file if it is still ours; false when someone broke it meanwhile (a
  /// lock taken since by another deploy is left alone). Idempotent; never throws.
  bool release() noexcept;
  bool held() const { return held_; }
  const LockHolder& holder() const { return holder_; }

 private:
  DeployLock(std::filesystem::path path, LockHolder holder)
      : path_(std::move(path)), holder_(std::move(holder)), held_(true) {}

  std::filesystem::path path_;
  LockHolder holder_;
  bool held_ = false;
};

/// The lock's JSON line for `holder` (the file's content; the Parameter Store lock's value).
std::string lock_text(const LockHolder& holder);

/// Reads a lock's JSON text; `unreadable` says why when it is not a lock drover wrote.
LockHolder parse_lock_text(const std::string& text);

/// The lock's content, or nullopt when there is no lock.
std::optional<LockHolder> read_lock(const std::filesystem::path& lock_file);

/// `drover unlock`: removes the lock and returns whose it was (nullopt: there was none).
/// Without `force` only a stale lock is broken; a live or unreadable one throws LockHeld
/// whose fix is `drover unlock --force`.
std::optional<LockHolder> break_lock(const std::filesystem::path& lock_file,
                                     const std::string& fleet, bool force,
                                     const LockEnvironment& env);

}  // namespace drover::cli
