#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>

#include "cli/lock/deploy_lock.h"
#include "state_test_dir.h"

namespace drover::cli {
namespace {

namespace fs = std::filesystem;

const std::string kId1 = "6ca32b16-367e-4372-8a33-6dd9442ed2c3";
const std::string kId2 = "0b8e2d1f-1c2a-4c3b-9d4e-5f6a7b8c9d0e";

// Time and liveness are the test's: `alive` lists the pids that exist.
struct FakeHost {
  std::set<pid_t> alive;
  std::string now = "2026-06-12T10:00:00Z";
  std::vector<pid_t> asked;

  // The machine id is "machine-<hostname>" unless given.
  LockEnvironment env(const std::string& user, const std::string& hostname, pid_t pid,
                      std::optional<std::string> machine = std::nullopt) {
    alive.insert(pid);
    return {{user, hostname},
            pid,
            [this] { return now; },
            [this](pid_t p) {
              asked.push_back(p);
              return alive.count(p) > 0;
            },
            machine.value_or("machine-" + hostname)};
  }
};

std::string file_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class DeployLockTest : public ::testing::Test {
 protected:
  testing::TempDir tmp;
  fs::path lock = tmp.path() / "lock";
  FakeHost host;
  LockEnvironment alice = host.env("alice", "ops-1", 100);
  LockEnvironment bob = host.env("bob", "ops-1", 200);
};

TEST_F(DeployLockTest, AcquireWritesTheHolderAsJson) {
  auto held = DeployLock::acquire(lock, "tradebot", kId1, "drover deploy all routine -y", alice);
  EXPECT_TRUE(held.held());
  const auto j = nlohmann::json::parse(file_text(lock));
  EXPECT_EQ(j["v"], 1);
  EXPECT_EQ(j["holder"], "alice@ops-1");
  EXPECT_EQ(j["pid"], 100);
  EXPECT_EQ(j["started_at"], "2026-06-12T10:00:00Z");
  EXPECT_EQ(j["deploy_id"], kId1);
  EXPECT_EQ(j["command"], "drover deploy all routine -y");
  struct stat st {};
  ASSERT_EQ(::stat(lock.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(read_lock(lock), held.holder());
}

TEST_F(DeployLockTest, ALiveHolderBlocksTheNextDeployAndIsNamed) {
  auto held = DeployLock::acquire(lock, "tradebot", kId1, "drover deploy all routine -y", alice);
  host.now = "2026-06-12T10:05:00Z";
  try {
    DeployLock::acquire(lock, "tradebot", kId2, "drover deploy staging", bob);
    FAIL();
  } catch (const LockHeld& e) {
    EXPECT_EQ(e.state(), LockState::live);
    EXPECT_FALSE(e.stale());
    EXPECT_EQ(e.holder().holder, "alice@ops-1");
    EXPECT_EQ(e.holder().deploy_id, kId1);
    EXPECT_EQ(e.where(), "fleet \"tradebot\"");
    EXPECT_TRUE(contains(e.problem(),
                         "alice@ops-1 (pid 100) since 2026-06-12T10:00:00Z for "
                         "deploy " +
                             kId1 + ": drover deploy all routine -y"))
        << e.problem();
    EXPECT_TRUE(contains(e.fix(), "drover unlock --force")) << e.fix();
    EXPECT_TRUE(contains(e.what(), e.problem()));
  }
  EXPECT_EQ(read_lock(lock)->deploy_id, kId1) << "the holder's lock is untouched";
}

TEST_F(DeployLockTest, ADeadPidOnThisHostIsStaleButNeverTakenOver) {
  { auto held = DeployLock::acquire(lock, "tradebot", kId1, "drover deploy all fast", alice); }
  // Simulate a crash: write the lock, then "kill" pid 100.
  auto crashed = DeployLock::acquire(lock, "tradebot", kId1, "drover deploy all fast", alice);
  const auto before = file_text(lock);
  host.alive.erase(100);
  try {
    DeployLock::acquire(lock, "tradebot", kId2, "drover deploy staging", bob);
    FAIL();
  } catch (const LockHeld& e) {
    EXPECT_TRUE(e.stale());
    EXPECT_TRUE(contains(e.problem(), "stale")) << e.problem();
    EXPECT_TRUE(contains(e.problem(), "alice@ops-1 (pid 100)")) << e.problem();
    EXPECT_TRUE(contains(e.problem(), "2026-06-12T10:00:00Z")) << e.problem();
    EXPECT_TRUE(contains(e.problem(), "no longer running")) << e.problem();
    EXPECT_TRUE(contains(e.fix(), "`drover unlock`")) << e.fix();
    EXPECT_TRUE(contains(e.fix(), "--resume " + kId1)) << e.fix();
  }
  EXPECT_EQ(file_text(lock), before);
  EXPECT_EQ(host.asked.back(), 100);
}

TEST_F(DeployLockTest, ALockFromAnotherHostAlwaysLooksLive) {
  auto carol = host.env("carol", "ops-9", 100);
  auto held = DeployLock::acquire(lock, "tradebot", kId1, "x", carol);
  host.alive.clear();
  host.asked.clear();
  try {
    DeployLock::acquire(lock, "tradebot", kId2, "y", alice);
    FAIL();
  } catch (const LockHeld& e) {
    EXPECT_EQ(e.state(), LockState::live);
  }
  EXPECT_TRUE(host.asked.empty()) << "a pid of another host is not ours to check";
  EXPECT_THROW(break_lock(lock, "tradebot", false, alice), LockHeld);
}

TEST_F(DeployLockTest, ALockFromAnotherMachineWithTheSameHostNameLooksLive) {
  // Two machines (or containers) both called ops-1: the pid of one means nothing on the other.
  auto twin = host.env("alice", "ops-1", 100, "machine-of-the-twin");
  auto held = DeployLock::acquire(lock, "tradebot", kId1, "x", twin);
  EXPECT_EQ(nlohmann::json::parse(file_text(lock))["machine"], "machine-of-the-twin");
  host.alive.clear();
  host.asked.clear();
  try {
    DeployLock::acquire(lock, "tradebot", kId2, "y", bob);
    FAIL();
  } catch (const LockHeld& e) {
    EXPECT_EQ(e.state(), LockState::live);
    EXPECT_TRUE(contains(e.fix(), "drover unlock --force")) << e.fix();
  }
  EXPECT_TRUE(host.asked.empty()) << "a pid of another machine is not ours to check";
  EXPECT_THROW(break_lock(lock, "tradebot", false, bob), LockHeld);
  EXPECT_TRUE(fs::exists(lock)) << "never removed without --force";
  EXPECT_TRUE(break_lock(lock, "tradebot", true, bob));
  EXPECT_FALSE(fs::exists(lock));
}

TEST_F(DeployLockTest, WithoutAMachineIdNoLockIsProvablyStale) {
  // A lock written by an older drover (no "machine"), and a machine whose id is unknown.
  std::ofstream(lock) << R"({"v":1,"holder":"alice@ops-1","pid":100,"started_at":"t",)"
                      << R"("deploy_id":"d","command":"c"})"
                      << "\n";
  host.alive.clear();
  EXPECT_EQ(read_lock(lock)->machine, "");
  EXPECT_EQ(judge_lock(*read_lock(lock), alice), LockState::live);
  EXPECT_THROW(break_lock(lock, "tradebot", false, alice), LockHeld);
  fs::remove(lock);
  auto held = DeployLock::acquire(lock, "tradebot", kId1, "x", alice);
  host.alive.clear();
  EXPECT_EQ(judge_lock(held.holder(), alice), LockState::stale) << "same machine, pid gone";
  EXPECT_EQ(judge_lock(held.holder(), host.env("alice", "ops-1", 7, "")), LockState::live)
      << "this machine's id unknown";
}

TEST_F(DeployLockTest, ReleaseExplicitlyAndOnDestruction) {
  {
    auto held = DeployLock::acquire(lock, "tradebot", kId1, "x", alice);
    EXPECT_TRUE(held.release());
    EXPECT_FALSE(held.held());
    EXPECT_FALSE(fs::exists(lock));
    EXPECT_FALSE(held.release()) << "idempotent";
  }
  {
    auto held = DeployLock::acquire(lock, "tradebot", kId1, "x", alice);
    auto moved = std::move(held);
    EXPECT_FALSE(held.held());
    EXPECT_TRUE(moved.held());
    EXPECT_TRUE(fs::exists(lock));
  }
  EXPECT_FALSE(fs::exists(lock)) << "released by the destructor";
  EXPECT_NO_THROW(DeployLock::acquire(lock, "tradebot", kId2, "y", bob));
}

TEST_F(DeployLockTest, ReleaseLeavesALockSomeoneElseTookMeanwhile) {
  auto held = DeployLock::acquire(lock, "tradebot", kId1, "x", alice);
  const auto broken = break_lock(lock, "tradebot", true, bob);
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->holder, "alice@ops-1");
  auto bobs = DeployLock::acquire(lock, "tradebot", kId2, "y", bob);
  EXPECT_FALSE(held.release());
  EXPECT_EQ(read_lock(lock)->deploy_id, kId2);
}

TEST_F(DeployLockTest, BreakOnlyAStaleLockWithoutForce) {
  EXPECT_EQ(break_lock(lock, "tradebot", false, bob), std::nullopt) << "no lock";

  auto held = DeployLock::acquire(lock, "tradebot", kId1, "drover deploy all", alice);
  try {
    break_lock(lock, "tradebot", false, bob);
    FAIL();
  } catch (const LockHeld& e) {
    EXPECT_EQ(e.state(), LockState::live);
    EXPECT_TRUE(contains(e.fix(), "drover unlock --force")) << e.fix();
  }
  EXPECT_TRUE(fs::exists(lock));

  host.alive.erase(100);
  const auto broken = break_lock(lock, "tradebot", false, bob);
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->holder, "alice@ops-1");
  EXPECT_EQ(broken->pid, 100);
  EXPECT_EQ(broken->started_at, "2026-06-12T10:00:00Z");
  EXPECT_EQ(broken->deploy_id, kId1);
  EXPECT_EQ(broken->command, "drover deploy all");
  EXPECT_FALSE(fs::exists(lock));
  EXPECT_NO_THROW(DeployLock::acquire(lock, "tradebot", kId2, "y", bob));
}

TEST_F(DeployLockTest, ForceBreaksALiveLock) {
  auto held = DeployLock::acquire(lock, "tradebot", kId1, "x", alice);
  const auto broken = break_lock(lock, "tradebot", true, bob);
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->deploy_id, kId1);
  EXPECT_FALSE(fs::exists(lock));
}

TEST_F(DeployLockTest, AnUnreadableLockNeedsForce) {
  for (const std::string& junk :
       {std::string(), std::string("{\"v\":1,\"holder\":"), std::string("{\"v\":7}"),
        std::string("{\"v\":\"1\"}"), std::string("[1,2]")}) {
    std::ofstream(lock, std::ios::binary | std::ios::trunc) << junk;
    try {
      DeployLock::acquire(lock, "tradebot", kId2, "y", bob);
      FAIL() << junk;
    } catch (const LockHeld& e) {
      EXPECT_EQ(e.state(), LockState::unreadable) << junk;
      EXPECT_TRUE(contains(e.problem(), "cannot be read")) << e.problem();
      EXPECT_TRUE(contains(e.fix(), "drover unlock --force")) << e.fix();
    }
    EXPECT_THROW(break_lock(lock, "tradebot", false, bob), LockHeld);
    const auto broken = break_lock(lock, "tradebot", true, bob);
    ASSERT_TRUE(broken);
    EXPECT_FALSE(broken->unreadable.empty());
    EXPECT_FALSE(fs::exists(lock));
  }
}

TEST_F(DeployLockTest, MessagesEscapeWhatTheLockFileSays) {
  std::ofstream(lock) << R"({"v":1,"holder":"eve\u001b[2J@ops-9","pid":5,"started_at":"t",)"
                      << R"("deploy_id":"d","command":"c"})";
  try {
    DeployLock::acquire(lock, "tradebot", kId2, "y", bob);
    FAIL();
  } catch (const LockHeld& e) {
    EXPECT_EQ(std::string(e.what()).find('\x1b'), std::string::npos) << e.what();
    EXPECT_TRUE(contains(e.problem(), "eve\\x1b[2J@ops-9")) << e.problem();
  }
}

TEST(DeployLockReal, EnvironmentSeesLiveAndDeadPidsAndUtcTime) {
  const auto env = LockEnvironment::real();
  EXPECT_EQ(env.pid, ::getpid());
  EXPECT_FALSE(env.self.user.empty());
  EXPECT_FALSE(env.self.hostname.empty());
  EXPECT_TRUE(env.pid_alive(::getpid()));
  EXPECT_TRUE(env.pid_alive(1)) << "exists even when not ours to signal";
  std::ifstream id_file("/etc/machine-id");
  std::string id;
  if (id_file >> id) {
    EXPECT_EQ(env.machine_id, id) << "the machine id, trimmed";
  }
  EXPECT_EQ(env.machine_id, read_machine_id());
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) ::_exit(0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_FALSE(env.pid_alive(child));
  EXPECT_TRUE(std::regex_match(env.now_utc(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
      << env.now_utc();
}

TEST(DeployLockHolder, HostnameIsAfterTheLastAt) {
  EXPECT_EQ(holder_hostname("alice@ops-1"), "ops-1");
  EXPECT_EQ(holder_hostname("a@b@c"), "c");
  EXPECT_EQ(holder_hostname("nobody"), "");
  EXPECT_EQ((OperatorIdentity{"alice", "ops-1"}.holder()), "alice@ops-1");
}

}  // namespace
}  // namespace drover::cli
