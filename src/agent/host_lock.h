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
//
// The kernel does not drop what the dead agent asked the engine, though: dockerd finishes a
// create, a rename or a graceful stop after its client is gone. So the holder also keeps, in
// the lock file, until when the engine requests it has in flight may land
// (record_requests_in_flight, kept by agent/in_flight_runtime.h); the next holder reads it and
// waits for them (agent/landing_wait.h) before it reads any bot's state (else it repairs a state
// that then changes under it, and a late create leaves a bot<ID>-next behind).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/in_flight_request.h"
#include "agent/progress_log.h"

namespace drover::agent {

inline constexpr const char* kDefaultHostLockPath = "/run/lock/drover-agent.lock";

/// Engine requests an agent sent and then died without an answer to: they may still land.
struct UnansweredRequests {
  std::string holder;  // "drover-agent swap (pid 4242)"
  std::vector<InFlightRequest> requests;
};

class HostLock {
 public:
  virtual ~HostLock() = default;
  /// Returns once this process holds the host's lock for `command` (held until it exits),
  /// with the requests a previous holder died waiting for, if its record names any (whether
  /// they may still land is the caller's to judge, on its clock).
  /// Logs whom it waits for when another agent holds it. Throws std::runtime_error, saying
  /// where and how to fix it, when the lock file cannot be used.
  virtual std::optional<UnansweredRequests> acquire(std::string_view command, ProgressLog& log) = 0;
  /// The engine requests this holder has in flight (none: empty), kept where the next holder
  /// reads them should this one die. Best effort: a lost record costs only that wait.
  virtual void record_requests_in_flight(const std::vector<InFlightRequest>& requests) = 0;
};

class FileHostLock final : public HostLock {
 public:
  explicit FileHostLock(std::string path) : path_(std::move(path)) {}
  ~FileHostLock() override;
  FileHostLock(const FileHostLock&) = delete;
  FileHostLock& operator=(const FileHostLock&) = delete;

  std::optional<UnansweredRequests> acquire(std::string_view command, ProgressLog& log) override;
  void record_requests_in_flight(const std::vector<InFlightRequest>& requests) override;
  const std::string& path() const { return path_; }

 private:
  void write_record(const std::string& text);

  std::string path_;
  int fd_ = -1;
  std::string holder_line_;  // "<pid> <command>\n", the record's first line
};

/// $DROVER_AGENT_LOCK when set and not empty, else kDefaultHostLockPath.
std::string host_lock_path(const char* from_environment);

}  // namespace drover::agent
