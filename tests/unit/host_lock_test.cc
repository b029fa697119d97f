// The agent's host-wide swap lock (agent/host_lock.h) on a real file with real flock(2): a
// second holder waits for the first, says whom it waits for, and gets the lock when the first
// lets go; a lock file that cannot be made is a clear error, not a silent pass.
#include "agent/host_lock.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

namespace drover::agent {
namespace {

std::filesystem::path fresh_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("drover-host-lock-" + name + "-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  return dir;
}

TEST(HostLock, ASecondHolderWaitsForTheFirstAndSaysWhomItWaitsFor) {
  const auto dir = fresh_dir("wait");
  const auto path = (dir / "run" / "lock" / "drover-agent.lock").string();
  std::ostringstream first_log;
  ProgressLog first_progress(first_log);
  auto first = std::make_unique<FileHostLock>(path);
  first->acquire("swap", first_progress);  // makes the missing directories
  EXPECT_EQ(first_log.str(), "") << "a free lock is taken silently";

  std::ostringstream second_log;
  ProgressLog second_progress(second_log);
  std::atomic<bool> second_holds{false};
  std::thread second_agent([&] {
    FileHostLock second(path);
    second.acquire("recover", second_progress);
    second_holds = true;
  });
  // Not a timing assertion: the second cannot hold the lock while the first does, however
  // long this waits; the wait only gives it the chance to be wrong.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(second_holds.load());
  first.reset();  // the first agent exits
  second_agent.join();
  EXPECT_TRUE(second_holds.load());
  const auto said = second_log.str();
  EXPECT_NE(said.find("waiting: drover-agent swap (pid " + std::to_string(getpid()) + ")"),
            std::string::npos)
      << said;
  EXPECT_NE(said.find("recover starts"), std::string::npos) << said;
  std::filesystem::remove_all(dir);
}

TEST(HostLock, ALockFileThatCannotBeMadeIsAnErrorThatSaysHowToFixIt) {
  const auto dir = fresh_dir("bad");
  std::filesystem::create_directories(dir);
  // A directory where the lock file should be: open(2) cannot make it a file.
  std::filesystem::create_directories(dir / "drover-agent.lock");
  std::ostringstream log;
  ProgressLog progress(log);
  FileHostLock lock((dir / "drover-agent.lock").string());
  try {
    lock.acquire("swap", progress);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("DROVER_AGENT_LOCK"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

TEST(HostLock, ThePathIsTheEnvironmentsWhenSetElseRunLock) {
  EXPECT_EQ(host_lock_path(nullptr), "/run/lock/drover-agent.lock");
  EXPECT_EQ(host_lock_path(""), "/run/lock/drover-agent.lock");
  EXPECT_EQ(host_lock_path("/tmp/h1.lock"), "/tmp/h1.lock");
}

}  // namespace
}  // namespace drover::agent
