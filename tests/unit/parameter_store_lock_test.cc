// The Parameter Store deploy lock (cli/lock/parameter_store_lock.h) against an in-memory Parameter
// Store with AWS's create-if-absent semantics.
#include "cli/lock/parameter_store_lock.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>

#include "aws/aws_error.h"

namespace drover::cli {
namespace {

using nlohmann::json;

struct MemoryParameters {
  std::map<std::string, std::string> values;
  transport::AwsJsonCall call() {
    return [this](std::string_view op, const json& in) -> json {
      const auto name = in.at("Name").get<std::string>();
      if (op == "PutParameter") {
        if (values.contains(name) && !in.value("Overwrite", false)) {
          throw aws::AwsError("ParameterAlreadyExists", "The parameter already exists.");
        }
        values[name] = in.at("Value").get<std::string>();
        return {{"Version", 1}};
      }
      if (!values.contains(name)) throw aws::AwsError("ParameterNotFound", "");
      if (op == "GetParameter") return {{"Parameter", {{"Name", name}, {"Value", values[name]}}}};
      if (op == "DeleteParameter") {
        values.erase(name);
        return json::object();
      }
      throw aws::AwsError("UnknownOperationException", std::string(op));
    };
  }
};

// The machine id is "machine-<host>" unless given.
LockEnvironment env_of(const std::string& user, const std::string& host, pid_t pid, bool alive,
                       std::optional<std::string> machine = std::nullopt) {
  return {OperatorIdentity{user, host}, pid, [] { return std::string("2026-06-12T10:00:00Z"); },
          [alive](pid_t) { return alive; }, machine.value_or("machine-" + host)};
}

constexpr const char* kName = "/drover/tradebot/deploy-lock";

TEST(ParameterStoreLock, SecondOperatorIsRefusedNamingTheHolder) {
  MemoryParameters store;
  auto alice = make_parameter_store_lock(store.call(), kName, "tradebot",
                                         env_of("alice", "ops-1", 42, true));
  auto bob =
      make_parameter_store_lock(store.call(), kName, "tradebot", env_of("bob", "ops-2", 7, true));
  auto held = alice->acquire("deploy-1", "drover deploy all routine -y");
  ASSERT_TRUE(store.values.contains(kName));
  EXPECT_NE(store.values[kName].find("\"holder\":\"alice@ops-1\""), std::string::npos);
  try {
    bob->acquire("deploy-2", "drover deploy staging");
    ADD_FAILURE() << "bob took a held lock";
  } catch (const LockHeld& e) {
    EXPECT_EQ(e.holder().holder, "alice@ops-1");
    EXPECT_EQ(e.holder().deploy_id, "deploy-1");
    EXPECT_EQ(e.state(), LockState::live);
  }
  EXPECT_TRUE(held->release());
  EXPECT_FALSE(store.values.contains(kName));
  EXPECT_NO_THROW(bob->acquire("deploy-2", "drover deploy staging"));
}

TEST(ParameterStoreLock, ReleaseLeavesALockThatIsNoLongerOurs) {
  MemoryParameters store;
  auto alice = make_parameter_store_lock(store.call(), kName, "f", env_of("alice", "a", 1, true));
  auto bob = make_parameter_store_lock(store.call(), kName, "f", env_of("bob", "b", 2, true));
  auto held = alice->acquire("d1", "c");
  EXPECT_TRUE(bob->break_lock(true).has_value());
  auto bobs = bob->acquire("d2", "c");
  EXPECT_FALSE(held->release());
  EXPECT_NE(store.values.at(kName).find("bob@b"), std::string::npos);
}

TEST(ParameterStoreLock, UnlockBreaksOnlyStaleLocksWithoutForce) {
  MemoryParameters store;
  auto alice = make_parameter_store_lock(store.call(), kName, "f", env_of("alice", "a", 1, true));
  auto held = alice->acquire("d1", "c");
  auto other_host =
      make_parameter_store_lock(store.call(), kName, "f", env_of("bob", "b", 2, false));
  EXPECT_THROW(other_host->break_lock(false), LockHeld) << "a lock from another host looks live";
  auto previous = other_host->break_lock(true);
  ASSERT_TRUE(previous);
  EXPECT_EQ(previous->holder, "alice@a");
  EXPECT_FALSE(other_host->break_lock(true)) << "nothing left to break";

  // Same host, dead pid: stale, broken without --force.
  auto dead = make_parameter_store_lock(store.call(), kName, "f", env_of("carol", "c", 9, false));
  auto dead_held = dead->acquire("d3", "c");
  auto same_host =
      make_parameter_store_lock(store.call(), kName, "f", env_of("carol", "c", 10, false));
  EXPECT_TRUE(same_host->break_lock(false).has_value());
}

TEST(ParameterStoreLock, ALiveLockOfAnotherMachineWithTheSameHolderIsNeverBrokenWithoutForce) {
  // The case: root@vm on two machines share the Parameter Store lock. The holder
  // text is the same, the pid is gone here, yet the lock is another machine's and live.
  MemoryParameters store;
  auto there = make_parameter_store_lock(store.call(), kName, "f",
                                         env_of("root", "vm", 42, true, "machine-a"));
  auto held = there->acquire("d1", "drover deploy all");
  EXPECT_NE(store.values[kName].find("\"machine\":\"machine-a\""), std::string::npos)
      << store.values[kName];
  auto here = make_parameter_store_lock(store.call(), kName, "f",
                                        env_of("root", "vm", 42, false, "machine-b"));
  try {
    here->break_lock(false);
    ADD_FAILURE() << "a live lock of another machine was broken";
  } catch (const LockHeld& e) {
    EXPECT_EQ(e.state(), LockState::live);
  }
  EXPECT_THROW(here->acquire("d2", "drover deploy all"), LockHeld);
  EXPECT_TRUE(store.values.contains(kName)) << "the lock is still there";
  EXPECT_TRUE(here->break_lock(true).has_value()) << "--force breaks it";
}

}  // namespace
}  // namespace drover::cli
