#include "cli/lock/parameter_store_lock.h"

#include <optional>

#include "aws/aws_error.h"

namespace drover::cli {
namespace {

using transport::AwsJsonCall;

constexpr int kAttempts = 3;

// The parameter's value, or nullopt when there is none.
std::optional<std::string> read_value(const AwsJsonCall& ssm, const std::string& name) {
  try {
    auto out = ssm("GetParameter", {{"Name", name}});
    return out.at("Parameter").at("Value").get<std::string>();
  } catch (const aws::AwsError& e) {
    if (e.code() == "ParameterNotFound") return std::nullopt;
    throw;
  }
}

// False when it was already gone.
bool delete_parameter(const AwsJsonCall& ssm, const std::string& name) {
  try {
    ssm("DeleteParameter", {{"Name", name}});
    return true;
  } catch (const aws::AwsError& e) {
    if (e.code() == "ParameterNotFound") return false;
    throw;
  }
}

class HeldParameterLock final : public HeldFleetLock {
 public:
  HeldParameterLock(AwsJsonCall ssm, std::string name, std::string value)
      : ssm_(std::move(ssm)), name_(std::move(name)), value_(std::move(value)) {}
  ~HeldParameterLock() override { release(); }

  bool release() noexcept override {
    if (!held_) return false;
    held_ = false;
    try {
      if (read_value(ssm_, name_) != value_) return false;
      return delete_parameter(ssm_, name_);
    } catch (...) {
      // An unreachable AWS at the end of a deploy leaves the lock; the next operator sees
      // whose it is and `drover unlock` breaks it.
      return false;
    }
  }

 private:
  AwsJsonCall ssm_;
  std::string name_;
  std::string value_;
  bool held_ = true;
};

class ParameterStoreLock final : public FleetLock {
 public:
  ParameterStoreLock(AwsJsonCall ssm, std::string name, std::string fleet, LockEnvironment env)
      : ssm_(std::move(ssm)),
        name_(std::move(name)),
        fleet_(std::move(fleet)),
        env_(std::move(env)) {}

  std::unique_ptr<HeldFleetLock> acquire(const std::string& deploy_id,
                                         const std::string& command) override {
    const LockHolder mine{env_.self.holder(), env_.pid, env_.now_utc(), deploy_id, command, "",
                          env_.machine_id};
    auto value = lock_text(mine);
    while (!value.empty() && value.back() == '\n') value.pop_back();
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
      try {
        ssm_("PutParameter", {{"Name", name_},
                              {"Value", value},
                              {"Type", "String"},
                              {"Overwrite", false},
                              {"Description", "drover deploy lock of fleet " + fleet_}});
        return std::make_unique<HeldParameterLock>(ssm_, name_, value);
      } catch (const aws::AwsError& e) {
        if (e.code() != "ParameterAlreadyExists") throw;
      }
      auto existing = read_value(ssm_, name_);
      if (!existing) continue;  // released between our two calls: try again
      auto holder = parse_lock_text(*existing);
      throw LockHeld(fleet_, holder, judge_lock(holder, env_), false);
    }
    throw aws::AwsError("LockContention", "the lock parameter " + name_ + " keeps changing");
  }

  std::optional<LockHolder> break_lock(bool force) override {
    auto existing = read_value(ssm_, name_);
    if (!existing) return std::nullopt;
    auto holder = parse_lock_text(*existing);
    const auto state = judge_lock(holder, env_);
    if (!force && state != LockState::stale) throw LockHeld(fleet_, holder, state, true);
    delete_parameter(ssm_, name_);
    return holder;
  }

  std::string location() const override { return "SSM parameter " + name_; }

 private:
  AwsJsonCall ssm_;
  std::string name_;
  std::string fleet_;
  LockEnvironment env_;
};

}  // namespace

std::unique_ptr<FleetLock> make_parameter_store_lock(AwsJsonCall ssm, std::string parameter,
                                                     std::string fleet, LockEnvironment env) {
  return std::make_unique<ParameterStoreLock>(std::move(ssm), std::move(parameter),
                                              std::move(fleet), std::move(env));
}

}  // namespace drover::cli
