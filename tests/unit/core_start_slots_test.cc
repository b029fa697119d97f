// Storm control: start slots evenly over the storm window in a random order, the login_rate cap,
// the peak-per-second measure, and core's scheduler holding each host to its slot on a virtual
// clock (the guide's 534 bots on 178 hosts over 60 s, and an operator's Ctrl-C mid-storm).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/rollout_scheduler.h"
#include "core/start_slots.h"
#include "core/virtual_clock.h"
#include "core_test_fleets.h"
#include "util/random.h"

namespace drover::core {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A Random with a fixed seed: one order per seed, the same on every run.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed) : engine_(seed) {}
  std::int64_t uniform(std::int64_t lo, std::int64_t hi) override {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(engine_);
  }

 private:
  std::mt19937_64 engine_;
};

using testfleets::hosts_of;

// What a rollout did on the virtual clock: each host's start (time from the rollout's start,
// and its bots), and the result.
struct Run {
  std::vector<BotStart> starts;
  std::vector<HostName> started;
  RolloutResult result;
};

// Drives `scheduler` like the CLI's driver: starts what it offers, then moves the clock to the
// earlier of the next finish (each host takes `took`) and the next start slot. `interrupt_at`
// plays the operator's Ctrl-C.
Run drive(const std::vector<StartSlot>& slots, Concurrency concurrency, Duration took,
          Duration interrupt_at = Duration::max()) {
  RolloutOptions options;
  options.concurrency = concurrency;
  options.halt = HaltThreshold::never();
  std::map<HostName, std::size_t> bots;
  for (const auto& slot : slots) {
    options.hosts.push_back(slot.host);
    options.slots.push_back(slot.offset);
    bots[slot.host] = slot.bots;
  }
  VirtualClock clock;
  const TimePoint t0 = clock.now();
  RolloutScheduler scheduler(options, clock);
  bool interrupted = false;
  Run run;
  std::multimap<TimePoint, HostName> due;
  while (!scheduler.done()) {
    if (!interrupted && clock.now() - t0 >= interrupt_at) {
      interrupted = true;
      scheduler.interrupt();
    }
    for (const auto& host : scheduler.next_to_start()) {
      run.starts.push_back({clock.now() - t0, bots[host]});
      run.started.push_back(host);
      due.emplace(clock.now() + took, host);
    }
    if (scheduler.done()) break;
    TimePoint next = due.empty() ? TimePoint::max() : due.begin()->first;
    if (const auto until = scheduler.until_next_slot()) next = std::min(next, clock.now() + *until);
    if (!interrupted && interrupt_at != Duration::max()) next = std::min(next, t0 + interrupt_at);
    EXPECT_NE(next, TimePoint::max()) << "nothing to wait for, yet not done";
    if (next == TimePoint::max()) break;
    clock.advance(next - clock.now());
    while (!due.empty() && due.begin()->first <= clock.now()) {
      scheduler.on_finished(due.begin()->second, HostOutcome::success());
      due.erase(due.begin());
    }
  }
  run.result = scheduler.result();
  return run;
}

TEST(CoreStartSlots, SpreadEvenlyOverTheWindowFromZero) {
  const auto offsets = start_offsets(std::vector<std::size_t>(178, 3), seconds(60), std::nullopt);
  ASSERT_EQ(offsets.size(), 178u);
  EXPECT_EQ(offsets.front(), Duration(0));
  for (std::size_t i = 0; i < offsets.size(); ++i) {
    EXPECT_EQ(offsets[i], milliseconds(60'000 * static_cast<long long>(i) / 178)) << i;
  }
  EXPECT_LT(offsets.back(), seconds(60));
  EXPECT_EQ(start_offsets(std::vector<std::size_t>(4, 3), Duration(0), std::nullopt),
            std::vector<Duration>(4, Duration(0)))
      << "no window, no cap: every host at once";
}

TEST(CoreStartSlots, HostsGetTheirSlotsInARandomOrderEachOnce) {
  const auto hosts = hosts_of(178, 3);
  SeededRandom random(7);
  const auto slots = plan_start_slots(hosts, seconds(60), std::nullopt, random);
  ASSERT_EQ(slots.size(), hosts.size());
  std::set<HostName> names;
  bool plan_order = true;
  for (std::size_t i = 0; i < slots.size(); ++i) {
    names.insert(slots[i].host);
    EXPECT_EQ(slots[i].bots, 3u);
    EXPECT_EQ(slots[i].offset, milliseconds(60'000 * static_cast<long long>(i) / 178));
    plan_order = plan_order && slots[i].host == hosts[i].name;
  }
  EXPECT_EQ(names.size(), hosts.size()) << "every host exactly once";
  EXPECT_FALSE(plan_order) << "the order is drawn, not the plan's";
  SeededRandom other(8);
  EXPECT_NE(plan_start_slots(hosts, seconds(60), std::nullopt, other), slots);
}

TEST(CoreStartSlots, LoginRateHoldsStartsWithinTheCapEverySecond) {
  // No window at all: the cap alone spreads 178 hosts × 3 bots at 10 bots/s, 3 hosts a second.
  const std::vector<std::size_t> bots(178, 3);
  const auto offsets = start_offsets(bots, Duration(0), std::size_t{10});
  std::vector<BotStart> starts;
  for (std::size_t i = 0; i < offsets.size(); ++i) starts.push_back({offsets[i], bots[i]});
  EXPECT_EQ(peak_bots_per_window(starts), 9u);
  EXPECT_EQ(offsets[3], seconds(1));
  EXPECT_EQ(offsets.back(), seconds(59));
  // Within a window too: 60 s for 534 bots is 9/s already; a cap of 5 allows one host a second.
  const auto capped = start_offsets(bots, seconds(60), std::size_t{5});
  starts.clear();
  for (std::size_t i = 0; i < capped.size(); ++i) starts.push_back({capped[i], bots[i]});
  EXPECT_EQ(peak_bots_per_window(starts), 3u);
  EXPECT_EQ(capped.back(), seconds(177));
  // Mixed hosts: a host with more bots than the cap cannot meet it and starts alone.
  const std::vector<std::size_t> mixed = {2, 2, 7, 1, 1, 1};
  const auto mixed_offsets = start_offsets(mixed, Duration(0), std::size_t{4});
  EXPECT_EQ(mixed_offsets, (std::vector<Duration>{Duration(0), Duration(0), seconds(1), seconds(2),
                                                  seconds(2), seconds(2)}));
}

TEST(CoreStartSlots, PeakCountsBotsInAnyHalfOpenSecond) {
  EXPECT_EQ(peak_bots_per_window({}), 0u);
  EXPECT_EQ(peak_bots_per_window({{milliseconds(0), 3}, {milliseconds(999), 3}}), 6u);
  EXPECT_EQ(peak_bots_per_window({{milliseconds(0), 3}, {milliseconds(1000), 3}}), 3u)
      << "a start exactly one second later is in the next window";
  EXPECT_EQ(
      peak_bots_per_window(
          {{seconds(5), 1}, {milliseconds(100), 2}, {milliseconds(5500), 4}, {seconds(0), 1}}),
      5u)
      << "unsorted input";
  EXPECT_EQ(peak_bots_per_window({{seconds(0), 2}, {seconds(3), 2}}, seconds(5)), 4u);
}

TEST(CoreStartSlots, SchedulerSpreadsTheGuidesStormToAtMostTenLoginsASecond) {
  // The guide's fleet at immediate: 534 bots on 178 hosts, every host at once, a 60 s window,
  // each host's swap taking 20 s on the virtual clock.
  const auto hosts = hosts_of(178, 3);
  SeededRandom random(2026);
  const auto slots = plan_start_slots(hosts, seconds(60), std::nullopt, random);
  const auto run = drive(slots, Concurrency::all_hosts(), seconds(20));
  EXPECT_EQ(run.result.status, RolloutStatus::success);
  ASSERT_EQ(run.starts.size(), 178u);
  for (std::size_t i = 0; i < slots.size(); ++i) {
    EXPECT_EQ(run.started[i], slots[i].host);
    EXPECT_EQ(run.starts[i].at, slots[i].offset) << "each host starts exactly at its slot";
  }
  const auto peak = peak_bots_per_window(run.starts);

  // The old way for comparison: each host waits an independent random 0..60 s in its agent.
  std::mt19937_64 engine(2026);
  std::uniform_int_distribution<long long> wait_ms(0, 60'000);
  std::vector<BotStart> independent;
  for (std::size_t i = 0; i < hosts.size(); ++i)
    independent.push_back({milliseconds(wait_ms(engine)), 3});
  const auto old_peak = peak_bots_per_window(independent);

  EXPECT_LE(peak, 10u) << "peak bot logins in any 1 s: " << peak
                       << " with start slots; independent random waits gave " << old_peak;
  EXPECT_EQ(peak, 9u) << "3 hosts of 3 bots fit in a second at one every 0.34 s";
  EXPECT_GT(old_peak, peak) << "independent random waits gave " << old_peak;
}

TEST(CoreStartSlots, InterruptInTheStormStopsEveryHostWhoseSlotHasNotCome) {
  // 10 hosts over a 10 s window: slots at 0, 1, …, 9 s; Ctrl-C at 3.5 s.
  SeededRandom random(3);
  const auto slots = plan_start_slots(hosts_of(10, 3), seconds(10), std::nullopt, random);
  const auto run = drive(slots, Concurrency::all_hosts(), seconds(20), milliseconds(3500));
  ASSERT_EQ(run.started.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(run.started[i], slots[i].host);
  EXPECT_EQ(run.result.status, RolloutStatus::interrupted);
  EXPECT_EQ(run.result.succeeded, 4u) << "the hosts in flight finished";
  ASSERT_EQ(run.result.not_started.size(), 6u);
  for (std::size_t i = 4; i < slots.size(); ++i) {
    EXPECT_EQ(run.result.not_started[i - 4], slots[i].host);
  }
}

TEST(CoreStartSlots, SlotsAndTheWindowBothHoldAHostBack) {
  // A window of 2 with slots 0, 1, 2, 3 s and 5 s swaps: the third host's slot comes at 2 s
  // but the window is full until 5 s.
  std::vector<StartSlot> slots;
  for (int i = 0; i < 4; ++i) slots.push_back({"h" + std::to_string(i), 1, seconds(i)});
  const auto run = drive(slots, Concurrency::hosts(2), seconds(5));
  ASSERT_EQ(run.starts.size(), 4u);
  EXPECT_EQ(run.starts[0].at, seconds(0));
  EXPECT_EQ(run.starts[1].at, seconds(1));
  EXPECT_EQ(run.starts[2].at, seconds(5));
  EXPECT_EQ(run.starts[3].at, seconds(6));
}

TEST(CoreStartSlots, UntilNextSlotSaysHowLongTheDriverMaySleep) {
  RolloutOptions options;
  options.hosts = {"a", "b", "c"};
  options.concurrency = Concurrency::all_hosts();
  options.slots = {milliseconds(0), milliseconds(337), milliseconds(674)};
  options.already_done = {"c"};
  VirtualClock clock;
  RolloutScheduler scheduler(options, clock);
  EXPECT_EQ(scheduler.until_next_slot(), Duration(0)) << "a's slot has come";
  EXPECT_EQ(scheduler.next_to_start(), std::vector<HostName>{"a"});
  EXPECT_EQ(scheduler.until_next_slot(), milliseconds(337));
  EXPECT_EQ(scheduler.progress().next_start_in, milliseconds(337)) << "what the live bar shows";
  clock.advance(milliseconds(300));
  EXPECT_TRUE(scheduler.next_to_start().empty());
  EXPECT_EQ(scheduler.until_next_slot(), milliseconds(37));
  clock.advance(milliseconds(37));
  EXPECT_EQ(scheduler.next_to_start(), std::vector<HostName>{"b"});
  EXPECT_EQ(scheduler.until_next_slot(), std::nullopt) << "c is already done: no slot to wait for";
  EXPECT_EQ(scheduler.progress().next_start_in, std::nullopt);
  scheduler.on_finished("a", HostOutcome::success());
  scheduler.on_finished("b", HostOutcome::success());
  EXPECT_TRUE(scheduler.done());
}

TEST(CoreVirtualClock, AlarmsRingOnceWhenTimeReachesThem) {
  VirtualClock clock;
  int rang = 0;
  clock.at(clock.now() + milliseconds(3500), [&] { ++rang; });
  clock.sleep_for(seconds(3));
  EXPECT_EQ(rang, 0);
  clock.sleep_for(seconds(1));
  EXPECT_EQ(rang, 1);
  clock.advance(seconds(10));
  EXPECT_EQ(rang, 1);
}

}  // namespace
}  // namespace drover::core
