#pragma once
// One bot-changing command (swap, recover) at a time on a host, whatever started it: two
// drovers, a resent SSM command, an operator's ssh. Two swaps of the same bots at once would
// race on the old container's rename and could leave a bot down.
//
// The real side is an flock(2) on one file per host: /run/lock/drover-agent.lock, or
// $DROVER_AGENT_LOCK (a transport whose "hosts" share one machine, like local, gives each its
// own). The kernel drops the lock when the agent exits, however it exits, so a crashed agent
// never leaves a host locked. A second command waits for the first and says so on stderr;
// the call's own timeout bounds the wait.
#include <string>
#include <string_view>

#include "agent/progress_log.h"

namespace drover::agent {

inline constexpr const char* kDefaultHostLockPath = "/run/lock/drover-agent.lock";

class HostLock {
 public:
  virtual ~HostLock() = default;
  /// Returns once this process holds the host's lock for `command` (held until it exits).
  /// Logs whom it waits for when another agent holds it. Throws std::runtime_error, saying
  /// where and how to fix it, when the lock file cannot be used.
  virtual void acquire(std::string_view command, ProgressLog& log) = 0;
};

class FileHostLock final : public HostLock {
 public:
  explicit FileHostLock(std::string path) : path_(std::move(path)) {}
  ~FileHostLock() override;
  FileHostLock(const FileHostLock&) = delete;
  FileHostLock& operator=(const FileHostLock&) = delete;

  void acquire(std::string_view command, ProgressLog& log) override;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

/// $DROVER_AGENT_LOCK when set and not empty, else kDefaultHostLockPath.
std::string host_lock_path(const char* from_environment);

}  // namespace drover::agent
