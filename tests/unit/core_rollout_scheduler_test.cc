#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/rollout_scheduler.h"
#include "core/virtual_clock.h"

namespace drover::core {
namespace {

using std::chrono::seconds;

std::vector<HostName> hosts(std::size_t n) {
  std::vector<HostName> names;
  for (std::size_t i = 1; i <= n; ++i) {
    names.push_back("host-" + std::to_string(i));
  }
  return names;
}

RolloutOptions options(std::size_t n, std::size_t concurrency, double halt = 0.10) {
  return {hosts(n), Concurrency::hosts(concurrency), HaltThreshold::over_fraction(halt), {}, {}};
}

HostOutcome failure() {
  return HostOutcome::failure(FailureKind::bot_failed, "bot1 rolled back");
}

// Drives a scheduler to the end like the CLI would: starts what it offers, finishes the
// host due first on the virtual clock, and checks the window at every step.
struct Drive {
  std::mt19937 rng;
  std::function<HostOutcome(const HostName&)> outcome = [](const HostName&) {
    return HostOutcome::success();
  };
  std::vector<HostName> start_order;
  std::vector<HostName> finish_order;
  std::size_t max_in_flight = 0;
  std::uniform_int_distribution<int> took_s{1, 120};  // how long one host takes

  explicit Drive(unsigned seed) : rng(seed) {}

  void run(RolloutScheduler& scheduler, VirtualClock& clock) {
    std::multimap<TimePoint, HostName> due;
    while (!scheduler.done()) {
      for (auto& host : scheduler.next_to_start()) {
        start_order.push_back(host);
        due.emplace(clock.now() + seconds(took_s(rng)), host);
      }
      max_in_flight = std::max(max_in_flight, scheduler.in_flight());
      ASSERT_LE(scheduler.in_flight(), scheduler.window());
      ASSERT_EQ(scheduler.in_flight(), due.size());
      ASSERT_FALSE(due.empty()) << "not done, yet nothing in flight or startable";
      auto first = due.begin();
      clock.advance(first->first - clock.now());
      const HostName host = first->second;
      due.erase(first);
      finish_order.push_back(host);
      scheduler.on_finished(host, outcome(host));
    }
    EXPECT_TRUE(scheduler.next_to_start().empty());
  }
};

TEST(CoreRolloutScheduler, ConcurrencyNeverExceededOverRandomCompletionOrders) {
  std::mt19937 seeds(20260612);
  for (int round = 0; round < 300; ++round) {
    const std::size_t n = 1 + seeds() % 60;
    const std::size_t concurrency = 1 + seeds() % 12;
    VirtualClock clock;
    RolloutScheduler scheduler(
        {hosts(n), Concurrency::hosts(concurrency), HaltThreshold::never(), {}, {}}, clock);
    Drive drive(seeds());
    std::bernoulli_distribution fails(0.2);
    drive.outcome = [&](const HostName&) {
      return fails(drive.rng) ? failure() : HostOutcome::success();
    };
    drive.run(scheduler, clock);
    SCOPED_TRACE(::testing::Message() << "round " << round << " n=" << n << " c=" << concurrency);
    EXPECT_EQ(drive.max_in_flight, std::min(n, concurrency));
    EXPECT_EQ(drive.start_order, hosts(n)) << "every host once, in plan order";
    auto finished = drive.finish_order;
    std::sort(finished.begin(), finished.end());
    auto expected = hosts(n);
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(finished, expected);
    const auto result = scheduler.result();
    EXPECT_EQ(result.succeeded + result.failed, n);
    EXPECT_EQ(result.failures.size(), result.failed);
    EXPECT_TRUE(result.not_started.empty());
    EXPECT_EQ(result.status, result.failed ? RolloutStatus::failed : RolloutStatus::success);
  }
}

TEST(CoreRolloutScheduler, SlidingWindowStartsOneHostPerFinish) {
  VirtualClock clock;
  RolloutScheduler scheduler(options(8, 5), clock);
  EXPECT_EQ(scheduler.next_to_start(),
            (std::vector<HostName>{"host-1", "host-2", "host-3", "host-4", "host-5"}));
  EXPECT_TRUE(scheduler.next_to_start().empty()) << "window full";
  scheduler.on_finished("host-3", HostOutcome::success());
  EXPECT_EQ(scheduler.next_to_start(), (std::vector<HostName>{"host-6"}));
  EXPECT_TRUE(scheduler.next_to_start().empty());
  scheduler.on_finished("host-1", HostOutcome::success());
  scheduler.on_finished("host-6", HostOutcome::success());
  EXPECT_EQ(scheduler.next_to_start(), (std::vector<HostName>{"host-7", "host-8"}));
  EXPECT_TRUE(scheduler.next_to_start().empty()) << "no hosts left";
  EXPECT_FALSE(scheduler.done());
  for (auto host : {"host-2", "host-4", "host-5", "host-7", "host-8"}) {
    scheduler.on_finished(host, HostOutcome::success());
  }
  EXPECT_TRUE(scheduler.done());
  EXPECT_EQ(scheduler.result().status, RolloutStatus::success);
  EXPECT_EQ(scheduler.result().succeeded, 8u);
}

// 178 hosts five at a time, each finishing host failing: "exceed 10 %" means failed > 17.8.
TEST(CoreRolloutScheduler, GuideFleetHaltsOnThe18thFailureNotThe17th) {
  VirtualClock clock;
  RolloutScheduler scheduler(options(178, 5), clock);
  std::vector<HostName> in_flight = scheduler.next_to_start();
  for (int failures = 1; failures <= 17; ++failures) {
    scheduler.on_finished(in_flight.front(), failure());
    in_flight.erase(in_flight.begin());
    EXPECT_FALSE(scheduler.halted()) << failures;
    const auto started = scheduler.next_to_start();
    ASSERT_EQ(started.size(), 1u) << "17 failures of 178 (≤ 17.8) keep the rollout going";
    in_flight.push_back(started.front());
  }
  scheduler.on_finished(in_flight.front(), failure());
  in_flight.erase(in_flight.begin());
  EXPECT_TRUE(scheduler.halted());
  EXPECT_TRUE(scheduler.next_to_start().empty()) << "18 > 17.8: no new host starts";
  EXPECT_FALSE(scheduler.done()) << "4 hosts still in flight";

  // In-flight hosts finish and are counted, whatever their outcome.
  scheduler.on_finished(in_flight[0], HostOutcome::success());
  scheduler.on_finished(in_flight[1], failure());
  scheduler.on_finished(in_flight[2], HostOutcome::success());
  EXPECT_TRUE(scheduler.next_to_start().empty());
  scheduler.on_finished(in_flight[3], HostOutcome::success());
  EXPECT_TRUE(scheduler.done());

  const auto result = scheduler.result();
  EXPECT_EQ(result.status, RolloutStatus::halted);
  EXPECT_EQ(result.failed, 19u);
  EXPECT_EQ(result.succeeded, 3u);
  EXPECT_EQ(result.tolerated_failures, 17u);
  EXPECT_EQ(result.not_started.size(), 178u - 22u);
  EXPECT_EQ(result.not_started.front(), "host-23");
  EXPECT_EQ(result.failures.size(), 19u);
  EXPECT_EQ(result.failures.front().host, "host-1");
}

TEST(CoreRolloutScheduler, ThreeHostsAtTenPercentHaltOnTheFirstFailure) {
  VirtualClock clock;
  RolloutScheduler scheduler(options(3, 1), clock);
  EXPECT_EQ(scheduler.next_to_start(), (std::vector<HostName>{"host-1"}));
  scheduler.on_finished("host-1", failure());
  EXPECT_TRUE(scheduler.halted()) << "1 > 0.3";
  EXPECT_TRUE(scheduler.next_to_start().empty());
  EXPECT_TRUE(scheduler.done());
  const auto result = scheduler.result();
  EXPECT_EQ(result.status, RolloutStatus::halted);
  EXPECT_EQ(result.not_started, (std::vector<HostName>{"host-2", "host-3"}));
}

TEST(CoreRolloutScheduler, ThresholdCrossedWithNothingLeftToHoldBackIsFailedNotHalted) {
  VirtualClock clock;
  RolloutScheduler scheduler(options(3, 5), clock);
  EXPECT_EQ(scheduler.next_to_start().size(), 3u);
  scheduler.on_finished("host-2", failure());
  EXPECT_TRUE(scheduler.halted());
  scheduler.on_finished("host-1", HostOutcome::success());
  scheduler.on_finished("host-3", HostOutcome::success());
  EXPECT_TRUE(scheduler.done());
  EXPECT_EQ(scheduler.result().status, RolloutStatus::failed);
  EXPECT_TRUE(scheduler.result().not_started.empty());
}

TEST(CoreRolloutScheduler, ImmediateStartsEverythingAndNeverHalts) {
  VirtualClock clock;
  RolloutScheduler scheduler({hosts(178), Concurrency::all_hosts(), HaltThreshold::never(), {}, {}},
                             clock);
  EXPECT_EQ(scheduler.window(), 178u);
  const auto started = scheduler.next_to_start();
  EXPECT_EQ(started.size(), 178u);
  for (const auto& host : started) {
    scheduler.on_finished(host, failure());
    EXPECT_FALSE(scheduler.halted());
  }
  EXPECT_TRUE(scheduler.done());
  const auto result = scheduler.result();
  EXPECT_EQ(result.status, RolloutStatus::failed);
  EXPECT_EQ(result.failed, 178u);
}

TEST(CoreRolloutScheduler, InterruptLetsInFlightHostsFinish) {
  VirtualClock clock;
  RolloutScheduler scheduler(options(20, 5), clock);
  const auto started = scheduler.next_to_start();
  ASSERT_EQ(started.size(), 5u);
  scheduler.interrupt();
  scheduler.interrupt();  // a second Ctrl-C changes nothing here
  scheduler.on_finished(started[0], HostOutcome::success());
  EXPECT_TRUE(scheduler.next_to_start().empty());
  EXPECT_FALSE(scheduler.done());
  for (std::size_t i = 1; i < started.size(); ++i) {
    scheduler.on_finished(started[i], HostOutcome::success());
  }
  EXPECT_TRUE(scheduler.done());
  const auto result = scheduler.result();
  EXPECT_EQ(result.status, RolloutStatus::interrupted);
  EXPECT_EQ(result.succeeded, 5u);
  EXPECT_EQ(result.not_started.size(), 15u);
}

TEST(CoreRolloutScheduler, InterruptAfterTheLastStartChangesNothing) {
  VirtualClock clock;
  RolloutScheduler scheduler(options(2, 5), clock);
  scheduler.next_to_start();
  scheduler.interrupt();
  scheduler.on_finished("host-1", HostOutcome::success());
  scheduler.on_finished("host-2", HostOutcome::success());
  EXPECT_EQ(scheduler.result().status, RolloutStatus::success);
}

// Issue 11: Ctrl-C withdraws an SSM command that had not reached its host; that host is not
// started after all, and the rollout is interrupted (not failed) even though every host had
// been started.
TEST(CoreRolloutScheduler, AWithdrawnHostIsNotStartedAndTheRolloutIsInterrupted) {
  VirtualClock clock;
  RolloutScheduler scheduler(options(3, 3), clock);
  ASSERT_EQ(scheduler.next_to_start().size(), 3u);
  EXPECT_THROW(scheduler.on_withdrawn("host-2"), std::logic_error) << "only after an interrupt";
  scheduler.interrupt();
  scheduler.on_withdrawn("host-2");
  EXPECT_THROW(scheduler.on_withdrawn("host-2"), std::logic_error) << "no longer in flight";
  EXPECT_THROW(scheduler.on_finished("host-2", HostOutcome::success()), std::logic_error);
  EXPECT_EQ(scheduler.in_flight(), 2u);
  scheduler.on_finished("host-1", HostOutcome::success());
  EXPECT_FALSE(scheduler.done());
  scheduler.on_finished("host-3", HostOutcome::success());
  EXPECT_TRUE(scheduler.done());
  const auto result = scheduler.result();
  EXPECT_EQ(result.status, RolloutStatus::interrupted);
  EXPECT_EQ(result.succeeded, 2u);
  EXPECT_EQ(result.failed, 0u);
  EXPECT_EQ(result.not_started, (std::vector<HostName>{"host-2"}));
}

TEST(CoreRolloutScheduler, ResumeSkipsDoneHosts) {
  VirtualClock clock;
  auto opts = options(10, 3);
  opts.already_done = {"host-1", "host-2", "host-5", "host-10", "not-in-plan"};
  RolloutScheduler scheduler(opts, clock);
  EXPECT_EQ(scheduler.progress().finished, 4u);
  Drive drive(7);
  drive.run(scheduler, clock);
  EXPECT_EQ(drive.start_order,
            (std::vector<HostName>{"host-3", "host-4", "host-6", "host-7", "host-8", "host-9"}));
  const auto result = scheduler.result();
  EXPECT_EQ(result.status, RolloutStatus::success);
  EXPECT_EQ(result.succeeded, 10u);
  EXPECT_EQ(result.already_done, 4u);
  EXPECT_EQ(scheduler.progress().finished, 10u);
}

TEST(CoreRolloutScheduler, ResumeWithEverythingDoneIsDoneAtOnce) {
  VirtualClock clock;
  auto opts = options(3, 3);
  opts.already_done = {"host-1", "host-2", "host-3"};
  RolloutScheduler scheduler(opts, clock);
  EXPECT_TRUE(scheduler.done());
  EXPECT_TRUE(scheduler.next_to_start().empty());
  EXPECT_EQ(scheduler.result().status, RolloutStatus::success);
}

TEST(CoreRolloutScheduler, ResumedRunMeasuresTheThresholdAgainstThePlan) {
  VirtualClock clock;
  auto opts = options(20, 1);  // 10 % of 20 = 2 tolerated
  for (int i = 1; i <= 15; ++i) {
    opts.already_done.insert("host-" + std::to_string(i));
  }
  RolloutScheduler scheduler(opts, clock);
  for (int i = 0; i < 2; ++i) {
    const auto started = scheduler.next_to_start();
    ASSERT_EQ(started.size(), 1u);
    scheduler.on_finished(started[0], failure());
  }
  EXPECT_FALSE(scheduler.halted());
  scheduler.on_finished(scheduler.next_to_start().at(0), failure());
  EXPECT_TRUE(scheduler.halted());
  EXPECT_EQ(scheduler.result().not_started, (std::vector<HostName>{"host-19", "host-20"}));
}

TEST(CoreRolloutScheduler, TimesComeFromTheClock) {
  VirtualClock clock;
  RolloutScheduler scheduler(options(2, 1), clock);
  scheduler.next_to_start();
  clock.advance(seconds(40));
  scheduler.on_finished("host-1", failure());
  EXPECT_EQ(scheduler.result().failures.at(0).took, seconds(40));
  clock.advance(seconds(2));
  EXPECT_EQ(scheduler.progress().elapsed, seconds(42));
  EXPECT_EQ(scheduler.progress().failed, 1u);
  EXPECT_EQ(scheduler.progress().finished, 1u);
  EXPECT_EQ(scheduler.progress().total, 2u);
}

TEST(CoreRolloutScheduler, RefusesDriverMistakes) {
  VirtualClock clock;
  RolloutScheduler scheduler(options(3, 1), clock);
  EXPECT_THROW(scheduler.on_finished("host-1", HostOutcome::success()), std::logic_error);
  scheduler.next_to_start();
  scheduler.on_finished("host-1", HostOutcome::success());
  EXPECT_THROW(scheduler.on_finished("host-1", HostOutcome::success()), std::logic_error);
  EXPECT_THROW(scheduler.on_finished("nope", HostOutcome::success()), std::logic_error);
  EXPECT_THROW(RolloutScheduler(
                   {{"a", "b", "a"}, Concurrency::hosts(1), HaltThreshold::never(), {}, {}}, clock),
               std::invalid_argument);
  EXPECT_THROW(RolloutScheduler({{"a", "b"},
                                 Concurrency::hosts(1),
                                 HaltThreshold::never(),
                                 {},
                                 {seconds(0), seconds(1), seconds(2)}},
                                clock),
               std::invalid_argument)
      << "a start slot for each host, or none";
}

TEST(CoreRolloutScheduler, StartLimitTakesNoMoreThanTheTransportCanAndTheRestFollow) {
  VirtualClock clock;
  RolloutScheduler scheduler(options(5, 5), clock);
  EXPECT_EQ(scheduler.next_to_start(2), (std::vector<HostName>{"host-1", "host-2"}));
  EXPECT_EQ(scheduler.in_flight(), 2u);
  EXPECT_EQ(scheduler.next_to_start(), (std::vector<HostName>{"host-3", "host-4", "host-5"}));
  scheduler.on_finished("host-4", HostOutcome::success());
  EXPECT_EQ(scheduler.in_flight_hosts(),
            (std::vector<HostName>{"host-1", "host-2", "host-3", "host-5"}))
      << "in flight, in name order";
}

TEST(CoreRolloutScheduler, EmptyPlanIsDone) {
  VirtualClock clock;
  RolloutScheduler scheduler({{}, Concurrency::hosts(5), HaltThreshold::never(), {}, {}}, clock);
  EXPECT_TRUE(scheduler.done());
  EXPECT_EQ(scheduler.result().status, RolloutStatus::success);
}

TEST(CoreRolloutScheduler, GuideFleetAtRoutineTakesWhatThePlanEstimates) {
  // Hosts taking 25-50 s each (the estimate's per-host range), five at a time: the guide's
  // 178 hosts must land inside the plan's "~15-30 min".
  for (unsigned seed = 1; seed <= 20; ++seed) {
    VirtualClock clock;
    RolloutScheduler scheduler(options(178, 5), clock);
    Drive drive(seed);
    drive.took_s = std::uniform_int_distribution<int>(25, 50);
    drive.run(scheduler, clock);
    const auto elapsed = scheduler.result().elapsed;
    EXPECT_GE(elapsed, std::chrono::minutes(15)) << seed;
    EXPECT_LE(elapsed, std::chrono::minutes(30)) << seed;
  }
}

TEST(CoreRolloutScheduler, RandomHaltsStopStartingAndFinishEverythingInFlight) {
  std::mt19937 seeds(42);
  for (int round = 0; round < 200; ++round) {
    const std::size_t n = 1 + seeds() % 80;
    const std::size_t concurrency = 1 + seeds() % 10;
    VirtualClock clock;
    RolloutScheduler scheduler(options(n, concurrency), clock);
    Drive drive(seeds());
    std::bernoulli_distribution fails(0.3);
    drive.outcome = [&](const HostName&) {
      return fails(drive.rng) ? failure() : HostOutcome::success();
    };
    drive.run(scheduler, clock);
    const auto result = scheduler.result();
    SCOPED_TRACE(::testing::Message() << "round " << round);
    EXPECT_EQ(drive.start_order.size(), drive.finish_order.size()) << "all in-flight finished";
    EXPECT_EQ(result.succeeded + result.failed + result.not_started.size(), n);
    const bool crossed = result.failed > result.tolerated_failures;
    if (!result.not_started.empty()) {
      EXPECT_EQ(result.status, RolloutStatus::halted);
      EXPECT_TRUE(crossed);
      // Once halted, at most window-1 more hosts finished after the crossing failure.
      EXPECT_LE(result.failed, result.tolerated_failures + concurrency);
    }
  }
}

}  // namespace
}  // namespace drover::core
