// Storm control on the real engine: an immediate deploy spreads its hosts over the storm window
// from drover's side (start slots; the agent is told no jitter), so Ctrl-C early in the window
// stops every host whose slot has not come. Before, every agent started at once and slept its
// own jitter: a Ctrl-C 3.5 s in stopped nothing and drover said `success`.
#include <gtest/gtest.h>
#include <signal.h>

#include "support/drover_fleet.h"
#include "support/pty_session.h"
#include "support/test_env.h"

namespace drover::testing {
namespace {

// 4 hosts over 20 s: slots at 0, 5, 10 and 15 s, in a random order.
constexpr const char* kShortStorm = R"([speeds.immediate]
stop_timeout = 5
settle = 2
jitter = 20
)";

TEST(DroverStormIT, CtrlCEarlyInTheStormWindowLeavesTheHostsNotYetStartedOnTheOldImage) {
  DroverFleet fleet(DROVER_BIN, "e2e-storm",
                    {{"host-1", {9001, 9002}},
                     {"host-2", {9003, 9004}},
                     {"host-3", {9005, 9006}},
                     {"host-4", {9007, 9008}}},
                    kShortStorm);
  fleet.run_all("v1");

  LiveProcess deploy(
      LiveProcess::Mode::pipes,
      fleet.argv({"deploy", "all", "immediate", "v2", "-y", "--straggler-wait", "3"}), fleet.env());
  ASSERT_TRUE(deploy.wait_for("Storm spread  4 hosts over 20s, one every 5.00s, random order"))
      << deploy.output();
  // The rollout starts right after the deploy id line; the second slot is 5 s later.
  ASSERT_TRUE(deploy.wait_for("command: ")) << deploy.output();
  deploy.send_signal(SIGINT);
  const auto code = deploy.wait_exit();
  ASSERT_TRUE(code.has_value()) << deploy.output();
  const std::string out = deploy.output();
  EXPECT_EQ(*code, 4) << out;
  EXPECT_NE(out.find("--- result: Interrupted"), std::string::npos) << out;
  EXPECT_NE(out.find("stopped by the operator"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(fleet.lock_file())) << "Ctrl-C left the lock behind";

  // At most the host whose slot was 0 s started; it finished its swap (it is not aborted).
  const auto done = hosts_ok(out);
  EXPECT_LE(done.size(), 1u) << out;
  std::size_t on_v1 = 0;
  for (const auto& host : fleet.hosts()) {
    for (int bot : host.bots) {
      const auto version = fleet.version(bot);
      EXPECT_EQ(version, done.count(host.name) ? "v2" : "v1") << "bot" << bot << "\n" << out;
      EXPECT_TRUE(fleet.bot(bot).state.running) << "bot" << bot;
      if (version == "v1") ++on_v1;
    }
  }
  EXPECT_GE(on_v1, 6u) << "the hosts whose slots had not come were not touched\n" << out;
}

}  // namespace
}  // namespace drover::testing
