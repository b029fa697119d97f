#pragma once
// One deploy per fleet at a time, wherever the lock lives. Two sides, chosen by transport:
//   file             <state>/<fleet>/lock on this machine (local, ssh: deploy_lock.h)
//   Parameter Store  one SSM parameter for the whole fleet (ssm: parameter_store_lock.h), so
//                    operators on different machines exclude each other
// Both hold the same JSON (holder, pid, started_at, deploy id, command), refuse with LockHeld
// naming the holder, judge staleness the same way (judge_lock) and break only on purpose.
#include <memory>
#include <optional>
#include <string>

#include "cli/lock/deploy_lock.h"

namespace drover::cli {

/// A lock this deploy holds. Releasing removes it only while it is still ours; the
/// destructor releases.
class HeldFleetLock {
 public:
  virtual ~HeldFleetLock() = default;
  virtual bool release() noexcept = 0;
};

class FleetLock {
 public:
  virtual ~FleetLock() = default;
  /// Takes the fleet's lock for `deploy_id`. Throws LockHeld when someone holds it.
  virtual std::unique_ptr<HeldFleetLock> acquire(const std::string& deploy_id,
                                                 const std::string& command) = 0;
  /// `drover unlock`: removes the lock and returns whose it was (nullopt: none). Without
  /// `force` only a stale lock is broken; otherwise throws LockHeld.
  virtual std::optional<LockHolder> break_lock(bool force) = 0;
  /// Where the lock lives, for messages: "/home/…/lock", "SSM parameter /drover/x/deploy-lock".
  virtual std::string location() const = 0;
};

/// The file side over DeployLock.
std::unique_ptr<FleetLock> make_file_lock(std::filesystem::path lock_file, std::string fleet,
                                          LockEnvironment env);

}  // namespace drover::cli
