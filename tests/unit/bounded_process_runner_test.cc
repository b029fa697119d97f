// util/bounded_process_runner.h: never more programs at once than the slots, every call still
// runs, and the slots fit the descriptor limit with drover's reserve kept.
#include "util/bounded_process_runner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace drover {
namespace {

// A program that takes a little while, counting how many run at once.
class CountingRunner final : public ProcessRunner {
 public:
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  std::atomic<int> runs{0};
  ProcessResult run(const std::vector<std::string>&, const ProcessOptions&) override {
    const int now = ++running;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    --running;
    ++runs;
    ProcessResult result;
    result.exit_code = 0;
    return result;
  }
};

TEST(BoundedProcessRunner, NeverRunsMoreThanItsSlotsAtOnceAndRunsEveryCall) {
  CountingRunner programs;
  BoundedProcessRunner bounded(programs, 3);
  std::vector<std::thread> hosts;
  for (int i = 0; i < 24; ++i) hosts.emplace_back([&] { bounded.run({"agent"}); });
  for (auto& host : hosts) host.join();
  EXPECT_EQ(programs.runs.load(), 24);
  EXPECT_LE(programs.most.load(), 3);
  EXPECT_LE(bounded.peak(), 3u);
  EXPECT_GE(bounded.peak(), 1u);
}

TEST(BoundedProcessRunner, AProgramThatCannotStartGivesItsSlotBack) {
  class Failing final : public ProcessRunner {
   public:
    ProcessResult run(const std::vector<std::string>&, const ProcessOptions&) override {
      throw ResourceExhausted("pipe: Too many open files");
    }
  } failing;
  BoundedProcessRunner bounded(failing, 1);
  EXPECT_THROW(bounded.run({"a"}), ResourceExhausted);
  EXPECT_THROW(bounded.run({"b"}), ResourceExhausted) << "the one slot came back";
}

TEST(BoundedProcessRunner, TheSlotsFitTheDescriptorLimitWithAReserve) {
  EXPECT_EQ(programs_within(1024), (1024u - 64u) / 6u);  // 160: the common `ulimit -n 1024`
  EXPECT_EQ(programs_within(64), 1u);
  EXPECT_EQ(programs_within(0), 1u);
  EXPECT_EQ(programs_within(std::uint64_t{1} << 40), kMaxProgramsAtOnce);
  CountingRunner programs;
  EXPECT_THROW(BoundedProcessRunner(programs, 0), std::invalid_argument);
}

}  // namespace
}  // namespace drover
