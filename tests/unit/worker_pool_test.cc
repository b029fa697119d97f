// The bounded worker pool the rollout and the fleet checks run their agent calls on, and
// on_each_host over it.
#include "util/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

#include "cli/fleet/host_calls.h"

namespace drover {
namespace {

using namespace std::chrono_literals;

// Tasks that hold their worker until the test opens the gate, counting how many run at once.
class Gate {
 public:
  void task() {
    std::unique_lock lock(mutex_);
    ++running_;
    peak_ = std::max(peak_, running_);
    changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
    --running_;
    ++ran_;
  }
  /// True once `n` tasks are running together (false after 10 s: the pool never got there).
  bool wait_running(std::size_t n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, [&] { return running_ == n; });
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  std::size_t peak() const {
    std::lock_guard lock(mutex_);
    return peak_;
  }
  std::size_t ran() const {
    std::lock_guard lock(mutex_);
    return ran_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = false;
  std::size_t running_ = 0;
  std::size_t peak_ = 0;
  std::size_t ran_ = 0;
};

TEST(WorkerPool, RunsEveryTaskOnceWithAtMostItsWorkersAtATime) {
  Gate gate;
  WorkerPool pool(3);
  for (int i = 0; i < 30; ++i) pool.submit([&] { gate.task(); });
  ASSERT_TRUE(gate.wait_running(3)) << "three workers should be busy";
  EXPECT_EQ(pool.workers(), 3u);
  gate.open();
  pool.wait();
  EXPECT_EQ(gate.ran(), 30u);
  EXPECT_EQ(gate.peak(), 3u);
  EXPECT_EQ(pool.workers(), 3u) << "no worker beyond the bound, however many tasks";
}

TEST(WorkerPool, StartsAWorkerOnlyWhenNoneIsIdle) {
  WorkerPool pool(10'000);
  std::atomic<int> ran{0};
  for (int i = 0; i < 5; ++i) {
    pool.submit([&] { ++ran; });
    pool.wait();
  }
  EXPECT_EQ(ran, 5);
  EXPECT_EQ(pool.workers(), 1u) << "one task at a time needs one worker";
}

TEST(WorkerPool, WaitRethrowsTheFirstFailureOnceEveryTaskHasEnded) {
  WorkerPool pool(2);
  std::atomic<int> ran{0};
  pool.submit([] { throw std::runtime_error("a bug in a task"); });
  for (int i = 0; i < 20; ++i) pool.submit([&] { ++ran; });
  EXPECT_THROW(pool.wait(), std::runtime_error);
  EXPECT_EQ(ran, 20) << "the other tasks still ran";
  EXPECT_NO_THROW(pool.wait()) << "a failure is reported once";
}

TEST(WorkerPool, TheDestructorLetsEveryQueuedTaskRun) {
  std::atomic<int> ran{0};
  {
    WorkerPool pool(1);
    for (int i = 0; i < 50; ++i) pool.submit([&] { ++ran; });
  }
  EXPECT_EQ(ran, 50);
}

TEST(OnEachHost, AnswersInTheHostsOrderAskingAtMostTheWindowAtOnce) {
  std::vector<core::HostSelection> hosts;
  for (int i = 0; i < 40; ++i) hosts.push_back({"host-" + std::to_string(i), std::nullopt, {}});
  std::mutex mutex;
  std::size_t running = 0;
  std::size_t peak = 0;
  auto results = cli::on_each_host(
      hosts,
      [&](const core::HostSelection& host) {
        {
          std::lock_guard lock(mutex);
          peak = std::max(peak, ++running);
        }
        core::AgentResult result;
        result.detail = host.name;
        std::lock_guard lock(mutex);
        --running;
        return result;
      },
      4);
  ASSERT_EQ(results.size(), hosts.size());
  for (std::size_t i = 0; i < hosts.size(); ++i) EXPECT_EQ(results[i].detail, hosts[i].name);
  EXPECT_GE(peak, 1u);
  EXPECT_LE(peak, 4u);
}

TEST(OnEachHost, ACallThatThrowsIsRethrownAfterTheOthersRan) {
  std::vector<core::HostSelection> hosts;
  for (int i = 0; i < 10; ++i) hosts.push_back({"host-" + std::to_string(i), std::nullopt, {}});
  std::atomic<int> asked{0};
  EXPECT_THROW(cli::on_each_host(hosts,
                                 [&](const core::HostSelection& host) {
                                   ++asked;
                                   if (host.name == "host-3") throw std::logic_error("bug");
                                   return core::AgentResult{};
                                 }),
               std::logic_error);
  EXPECT_EQ(asked, 10);
}

}  // namespace
}  // namespace drover
