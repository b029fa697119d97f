#include "cli/lock/deploy_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

#include "cli/state/durable_file.h"
#include "core/printable_text.h"
#include "util/bounded_read.h"

namespace drover::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kLockVersion = 1;
// A lock is one short JSON line; anything bigger was not written by drover.
constexpr std::size_t kMaxLockBytes = std::size_t{64} << 10;
constexpr std::size_t kMaxMachineIdBytes = 4096;  // 33 bytes in practice

std::string lock_json(const LockHolder& h) {
  json j = {{"v", kLockVersion},          {"holder", h.holder},       {"pid", h.pid},
            {"started_at", h.started_at}, {"deploy_id", h.deploy_id}, {"command", h.command}};
  if (!h.machine.empty()) j["machine"] = h.machine;
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

LockHolder unreadable(std::string why) {
  LockHolder h;
  h.unreadable = std::move(why);
  return h;
}

LockHolder parse_lock_json(const std::string& text) {
  if (text.empty()) return unreadable("the lock file is empty");
  const auto j = json::parse(text, nullptr, false);
  if (!j.is_object()) return unreadable("the lock file is not JSON");
  // json::value() would throw on a "v" of another type; the file is not ours to trust.
  if (!j.contains("v") || !j["v"].is_number_integer() || j["v"].get<long long>() != kLockVersion) {
    return unreadable("the lock file has an unknown version");
  }
  LockHolder h;
  for (auto [key, field] :
       {std::pair{"holder", &h.holder}, std::pair{"started_at", &h.started_at},
        std::pair{"deploy_id", &h.deploy_id}, std::pair{"command", &h.command}}) {
    if (!j.contains(key) || !j[key].is_string()) {
      return unreadable(fmt::format("the lock file has no \"{}\"", key));
    }
    *field = j[key].get<std::string>();
  }
  if (!j.contains("pid") || !j["pid"].is_number_integer() || j["pid"].get<long long>() <= 0 ||
      j["pid"].get<long long>() > std::numeric_limits<pid_t>::max()) {
    return unreadable("the lock file has no valid \"pid\"");
  }
  h.pid = static_cast<pid_t>(j["pid"].get<long long>());
  // Optional: locks of drovers before the machine id have none (and then look live).
  if (j.contains("machine") && j["machine"].is_string())
    h.machine = j["machine"].get<std::string>();
  return h;
}

// Everything quoted from the lock file is escaped: anyone who can write the state directory
// could put terminal escapes in it.
std::string escaped(std::string_view text) {
  return core::printable(text);
}

std::string describe(const LockHolder& h) {
  return fmt::format("{} (pid {}) since {} for deploy {}: {}", escaped(h.holder), h.pid,
                     escaped(h.started_at), escaped(h.deploy_id), escaped(h.command));
}

std::string held_where(const std::string& fleet) {
  return fmt::format("fleet \"{}\"", escaped(fleet));
}

std::string held_problem(const LockHolder& h, LockState state) {
  switch (state) {
    case LockState::live:
      return "another deploy holds the lock: " + describe(h);
    case LockState::stale:
      return fmt::format(
          "the lock is stale: {} (pid {}) took it at {} for deploy {} ({}) and that process is "
          "no longer running on this machine",
          escaped(h.holder), h.pid, escaped(h.started_at), escaped(h.deploy_id),
          escaped(h.command));
    case LockState::unreadable:
      break;
  }
  return fmt::format("the lock cannot be read: {}", escaped(h.unreadable));
}

// `breaking`: the operator is already running `drover unlock`, so the advice is the next
// step rather than the whole story.
std::string held_fix(const LockHolder& h, LockState state, bool breaking) {
  switch (state) {
    case LockState::live:
      if (breaking) {
        return "if that deploy is really gone, break the lock with `drover unlock --force`";
      }
      return fmt::format(
          "wait for it to end (`drover show {}` shows its progress); if it is really gone, "
          "break the lock with `drover unlock --force`",
          escaped(h.deploy_id));
    case LockState::stale:
      return fmt::format(
          "`drover show {0}` shows what it did; break the lock with `drover unlock`, then "
          "`drover deploy --resume {0}` finishes that deploy",
          escaped(h.deploy_id));
    case LockState::unreadable:
      break;
  }
  return "if no deploy is running, break the lock with `drover unlock --force`";
}

std::string held_message(const std::string& fleet, const LockHolder& h, LockState state,
                         bool breaking) {
  return fmt::format("{}: {} ({})", held_where(fleet), held_problem(h, state),
                     held_fix(h, state, breaking));
}

std::string utc_now() {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

bool process_exists(pid_t pid) {
  // EPERM: it exists but belongs to someone else. Only ESRCH proves it is gone.
  return ::kill(pid, 0) == 0 || errno != ESRCH;
}

}  // namespace

std::string lock_text(const LockHolder& holder) {
  return lock_json(holder);
}

LockHolder parse_lock_text(const std::string& text) {
  return parse_lock_json(text);
}

std::string read_machine_id() {
  for (const char* path : {"/etc/machine-id", "/var/lib/dbus/machine-id"}) {
    try {
      auto text = read_file_at_most(path, kMaxMachineIdBytes, FileKind::regular);
      if (!text) continue;
      const auto begin = text->find_first_not_of(" \t\r\n");
      if (begin == std::string::npos) continue;
      return text->substr(begin, text->find_last_not_of(" \t\r\n") - begin + 1);
    } catch (const FileReadError&) {
      continue;  // unreadable: try the next, else the machine is unknown (locks look live)
    }
  }
  return {};
}

LockEnvironment LockEnvironment::real() {
  return {current_operator(), ::getpid(), utc_now, process_exists, read_machine_id()};
}

LockState judge_lock(const LockHolder& holder, const LockEnvironment& env) {
  if (!holder.unreadable.empty()) return LockState::unreadable;
  // A pid means something only on the machine that wrote it, and only a machine id proves
  // which machine that was (host names repeat: containers, clones, `localhost`). Without
  // that proof the lock can only look live.
  if (holder.machine.empty() || env.machine_id.empty() || holder.machine != env.machine_id) {
    return LockState::live;
  }
  return env.pid_alive(holder.pid) ? LockState::live : LockState::stale;
}

LockHeld::LockHeld(std::string fleet, LockHolder holder, LockState state, bool breaking)
    : std::runtime_error(held_message(fleet, holder, state, breaking)),
      holder_(std::move(holder)),
      state_(state),
      where_(held_where(fleet)),
      problem_(held_problem(holder_, state_)),
      fix_(held_fix(holder_, state_, breaking)) {}

std::optional<LockHolder> read_lock(const fs::path& lock_file) {
  std::optional<std::string> text;
  try {
    text = read_text_file(lock_file, kMaxLockBytes);
  } catch (const StorageError& e) {
    // Too large or not a file: not a lock drover wrote, which is what `unreadable` means.
    if (e.error() != 0) throw;
    return unreadable(fmt::format("the lock file {}", e.problem()));
  }
  if (!text) return std::nullopt;
  return parse_lock_json(*text);
}

DeployLock DeployLock::acquire(const fs::path& lock_file, std::string fleet, std::string deploy_id,
                               std::string command, const LockEnvironment& env) {
  LockHolder mine{env.self.holder(),  env.pid, env.now_utc(), std::move(deploy_id),
                  std::move(command), "",      env.machine_id};
  // A lock released between our create and our read is simply tried again.
  for (int attempt = 0; attempt < 3; ++attempt) {
    const int fd = ::open(lock_file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      const int error = errno;
      if (error != EEXIST) {
        throw StorageError(lock_file, error,
                           fmt::format("cannot create the deploy lock: {}", std::strerror(error)));
      }
      auto existing = read_lock(lock_file);
      if (!existing) continue;
      const auto state = judge_lock(*existing, env);
      throw LockHeld(std::move(fleet), std::move(*existing), state, false);
    }
    const UniqueFd owner(fd);
    try {
      write_and_sync(fd, lock_json(mine), lock_file);
      sync_directory(lock_file.parent_path());
    } catch (...) {
      // A half-written lock would block the next operator with an unreadable file.
      ::unlink(lock_file.c_str());
      throw;
    }
    return DeployLock(lock_file, std::move(mine));
  }
  throw StorageError(lock_file, EAGAIN,
                     "the deploy lock keeps changing (created and removed while drover looked)",
                     "run the command again; if it persists, see who else deploys this fleet");
}

DeployLock::DeployLock(DeployLock&& other) noexcept
    : path_(std::move(other.path_)), holder_(std::move(other.holder_)), held_(other.held_) {
  other.held_ = false;
}

DeployLock::~DeployLock() {
  release();
}

bool DeployLock::release() noexcept {
  if (!held_) return false;
  held_ = false;
  try {
    // Only our own lock is removed: if an operator broke it with --force and another deploy
    // took the fleet since, that deploy's lock must stay.
    const auto current = read_lock(path_);
    if (!current || *current != holder_) return false;
    if (::unlink(path_.c_str()) != 0) return false;
    sync_directory(path_.parent_path());
    return true;
  } catch (...) {
    return false;
  }
}

std::optional<LockHolder> break_lock(const fs::path& lock_file, const std::string& fleet,
                                     bool force, const LockEnvironment& env) {
  auto existing = read_lock(lock_file);
  if (!existing) return std::nullopt;
  const auto state = judge_lock(*existing, env);
  if (!force && state != LockState::stale) throw LockHeld(fleet, *existing, state, true);
  if (::unlink(lock_file.c_str()) != 0 && errno != ENOENT) {
    const int error = errno;
    throw StorageError(lock_file, error,
                       fmt::format("cannot remove the deploy lock: {}", std::strerror(error)));
  }
  sync_directory(lock_file.parent_path());
  return existing;
}

}  // namespace drover::cli
