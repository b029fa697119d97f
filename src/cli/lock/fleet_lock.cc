#include "cli/lock/fleet_lock.h"

namespace drover::cli {
namespace {

class HeldFileLock final : public HeldFleetLock {
 public:
  explicit HeldFileLock(DeployLock lock) : lock_(std::move(lock)) {}
  bool release() noexcept override { return lock_.release(); }

 private:
  DeployLock lock_;
};

class FileLock final : public FleetLock {
 public:
  FileLock(std::filesystem::path file, std::string fleet, LockEnvironment env)
      : file_(std::move(file)), fleet_(std::move(fleet)), env_(std::move(env)) {}

  std::unique_ptr<HeldFleetLock> acquire(const std::string& deploy_id,
                                         const std::string& command) override {
    return std::make_unique<HeldFileLock>(
        DeployLock::acquire(file_, fleet_, deploy_id, command, env_));
  }
  std::optional<LockHolder> break_lock(bool force) override {
    return cli::break_lock(file_, fleet_, force, env_);
  }
  std::string location() const override { return file_.string(); }

 private:
  std::filesystem::path file_;
  std::string fleet_;
  LockEnvironment env_;
};

}  // namespace

std::unique_ptr<FleetLock> make_file_lock(std::filesystem::path lock_file, std::string fleet,
                                          LockEnvironment env) {
  return std::make_unique<FileLock>(std::move(lock_file), std::move(fleet), std::move(env));
}

}  // namespace drover::cli
