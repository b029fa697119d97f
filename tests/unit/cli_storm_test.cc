// Storm control end to end through the CLI's world: drover, not the agent, spreads the starts
// (start slots on the rollout's clock, the agent told no --jitter), so an operator's Ctrl-C in
// the storm window stops every host whose slot has not come, and login_rate spaces any speed's
// starts. The clock is virtual: a 10 s storm window passes in microseconds.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <vector>

#include "support/fake_cli_world.h"
#include "support/numbered_fleet.h"

namespace drover::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// When each swap call arrived on the world's virtual clock, from the first.
struct SwapTimes {
  std::mutex mutex;
  std::vector<Duration> at;
  TimePoint first{};

  void watch(FakeCliWorld& world, std::function<void()> on_first = {}) {
    world.transport.on_call = [this, &world, on_first](const core::Host&,
                                                       const core::AgentCall& call) {
      if (call.args.front() != "swap") return;
      std::lock_guard lock(mutex);
      const auto now = world.clock.now();
      if (at.empty()) {
        first = now;
        if (on_first) on_first();
      }
      at.push_back(now - first);
    };
  }
};

TEST(CliStorm, CtrlCInTheStormWindowStopsEveryHostWhoseSlotHasNotCome) {
  // 10 hosts over a 10 s window: one slot a second, in a random order; Ctrl-C 3.5 s in.
  FakeCliWorld world(fleet_of(10), "[speeds.immediate]\njitter = 10\n");
  SwapTimes swaps;
  swaps.watch(world, [&world] {
    world.clock.at(world.clock.now() + milliseconds(3500), [&world] { world.interrupt = true; });
  });
  EXPECT_EQ(world.run({"deploy", "all", "immediate", "v2", "-y"}), 4) << world.terminal.err();

  const auto swapped = world.transport.hosts_that_ran("swap");
  EXPECT_EQ(swapped.size(), 4u) << "the slots at 0, 1, 2 and 3 s had come; 4 s … 9 s had not";
  EXPECT_EQ(swaps.at, (std::vector<Duration>{seconds(0), seconds(1), seconds(2), seconds(3)}));
  const auto out = world.terminal.out();
  EXPECT_TRUE(contains(out, "Storm spread  10 hosts over 10s, one every 1.00s, random order"))
      << out;
  EXPECT_TRUE(contains(out, "interrupted: no new host will start")) << out;
  EXPECT_TRUE(contains(out, "--- result: Interrupted (4/10, 0 errors)")) << out;
  for (const auto& call : world.transport.commands_ran()) {
    if (call.args.front() != "swap") continue;
    EXPECT_EQ(std::find(call.args.begin(), call.args.end(), "--jitter"), call.args.end())
        << "drover spreads the starts; the agent must not sleep a jitter of its own";
  }
  for (int i = 1; i <= 10; ++i) {
    const auto host = "host-" + std::to_string(i);
    const bool started = std::find(swapped.begin(), swapped.end(), host) != swapped.end();
    const auto image = world.transport.image_of(static_cast<core::BotId>(100 * i + 1));
    EXPECT_EQ(image, FakeCliWorld::pinned(started ? "v2" : "v1")) << host;
  }
}

TEST(CliStorm, StartsFollowTheSlotsInARandomOrder) {
  FakeCliWorld world(fleet_of(10), "[speeds.immediate]\njitter = 10\n");
  SwapTimes swaps;
  swaps.watch(world);
  EXPECT_EQ(world.run({"deploy", "all", "immediate", "v2", "-y"}), 0) << world.terminal.err();
  std::vector<Duration> expected;
  for (int i = 0; i < 10; ++i) expected.push_back(seconds(i));
  EXPECT_EQ(swaps.at, expected) << "one host a second over the 10 s window";
}

TEST(CliStorm, LoginRateSpacesARoutineDeploysStarts) {
  // 2 bots a host at 3 bots/s: a second host would make 4 in that second, so one host a second,
  // although routine's window would start 5 at once.
  FakeCliWorld world(fleet_of(6), "[speeds.routine]\nlogin_rate = 3\n");
  SwapTimes swaps;
  swaps.watch(world);
  EXPECT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 0) << world.terminal.err();
  EXPECT_EQ(swaps.at, (std::vector<Duration>{seconds(0), seconds(1), seconds(2), seconds(3),
                                             seconds(4), seconds(5)}));
  EXPECT_TRUE(contains(world.terminal.out(),
                       "Login rate    at most 3 bots start per second (last host starts at ~5s)"))
      << world.terminal.out();
}

}  // namespace
}  // namespace drover::testing
