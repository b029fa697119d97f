#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "cli/config/drover_toml.h"
#include "config_test_support.h"

namespace drover::cli {
namespace {

using testing::contains;
using testing::kFleet;
using testing::kOneHost;
using testing::refusal;

// kFleet is 3 lines, so a [speeds.x] header is line 4 and its first key line 5.
std::string speeds(const std::string& section) {
  return kFleet + section + kOneHost;
}

core::SpeedTable table(const std::string& section) {
  return parse_config(speeds(section), "drover.toml").speeds;
}

TEST(ConfigSpeeds, OverridesApplyFieldByField) {
  auto t = table("[speeds.fast]\nconcurrency = 20\nlogin_poll = false\n");
  auto fast = core::default_speed_settings(core::SpeedName::fast);
  fast.concurrency = core::Concurrency::hosts(20);
  fast.login_poll = false;
  EXPECT_EQ(t.fast, fast);
  EXPECT_EQ(t.routine, core::default_speed_settings(core::SpeedName::routine));

  t = table(
      "[speeds.immediate]\nconcurrency = \"all\"\nhalt_percent = \"never\"\njitter = 30\n"
      "settle = 8\nlogin_poll = false\nlogin_wait = 0\n");
  auto immediate = core::default_speed_settings(core::SpeedName::immediate);
  immediate.jitter = std::chrono::seconds(30);
  immediate.settle = std::chrono::seconds(8);
  EXPECT_EQ(t.immediate, immediate);

  t = table("[speeds.immediate]\nlogin_rate = 10\n[speeds.fast]\nlogin_rate = 1\n");
  EXPECT_EQ(t.immediate.login_rate, std::optional<std::size_t>(10)) << "any speed may cap logins";
  EXPECT_EQ(t.fast.login_rate, std::optional<std::size_t>(1));
  EXPECT_EQ(t.routine.login_rate, std::nullopt) << "no cap unless configured";

  t = table("[speeds.routine]\nhalt_percent = 0\n");
  EXPECT_EQ(t.routine.halt, core::HaltThreshold::over_fraction(0.0));
}

TEST(ConfigSpeeds, ValuesOutOfRangeOrOfTheWrongTypeAreRefused) {
  EXPECT_EQ(refusal(speeds("[speeds.routine]\nconcurrency = 0\n")),
            "drover.toml:5: speeds.routine.concurrency: expected a number of hosts (at least 1), "
            "or \"all\", got 0 (write it like: concurrency = 5)");
  EXPECT_TRUE(contains(refusal(speeds("[speeds.routine]\nconcurrency = \"5\"\n")),
                       "speeds.routine.concurrency: expected a number of hosts (at least 1), or "
                       "\"all\", got a string"));
  EXPECT_TRUE(contains(refusal(speeds("[speeds.routine]\nstop_timeout = 2.5\n")),
                       "drover.toml:5: speeds.routine.stop_timeout: expected whole seconds from 1 "
                       "to 3600, got a decimal number"));
  EXPECT_TRUE(contains(refusal(speeds("[speeds.fast]\nstop_timeout = 0\n")),
                       "speeds.fast.stop_timeout: expected whole seconds from 1 to 3600, got 0"));
  EXPECT_TRUE(contains(refusal(speeds("[speeds.routine]\nsettle = 0\n")),
                       "speeds.routine.settle: expected seconds from 1 to 3600, got 0"));
  EXPECT_TRUE(contains(refusal(speeds("[speeds.routine]\njitter = -1\n")),
                       "speeds.routine.jitter: expected seconds from 0 to 3600, got -1"));
  EXPECT_TRUE(contains(refusal(speeds("[speeds.routine]\nlogin_wait = 4000\n")),
                       "speeds.routine.login_wait: expected seconds from 0 to 3600, got 4000"));
  EXPECT_EQ(refusal(speeds("[speeds.immediate]\nlogin_rate = 0\n")),
            "drover.toml:5: speeds.immediate.login_rate: expected whole bots per second from 1 to "
            "100000, got 0 (write it like: login_rate = 10, or remove it for no cap)");
  EXPECT_TRUE(contains(refusal(speeds("[speeds.routine]\nlogin_rate = 2.5\n")),
                       "drover.toml:5: speeds.routine.login_rate: expected whole bots per second "
                       "from 1 to 100000, got a decimal number"));
  EXPECT_TRUE(contains(refusal(speeds("[speeds.fast]\nlogin_rate = \"fast\"\n")),
                       "speeds.fast.login_rate: expected whole bots per second from 1 to 100000, "
                       "got a string"));
  EXPECT_TRUE(contains(refusal(speeds("[speeds.fast]\nlogin_rate = 100001\n")), "got 100001"));
  EXPECT_TRUE(contains(refusal(speeds("[speeds.routine]\nhalt_percent = 101\n")),
                       "speeds.routine.halt_percent: expected a percentage from 0 to 100"));
  EXPECT_TRUE(contains(refusal(speeds("[speeds.routine]\nlogin_poll = \"yes\"\n")),
                       "speeds.routine.login_poll: expected true or false, got a string"));
  EXPECT_TRUE(contains(refusal(speeds("[speeds.routine]\nstop = 30\n")),
                       "drover.toml:5: speeds.routine.stop: unknown key (did you mean "
                       "'stop_timeout'?"));
  EXPECT_TRUE(contains(refusal(speeds("[speeds]\nroutine = 5\n")),
                       "speeds.routine: expected a table of overrides, got a number"));
}

TEST(ConfigSpeeds, OverridesThatTurnOneSpeedIntoAnotherAreRefused) {
  EXPECT_EQ(refusal(speeds("[speeds.immediate]\nconcurrency = 10\n")),
            "drover.toml:5: speeds.immediate.concurrency: immediate always runs every host at "
            "once; a number of hosts at a time is what routine and fast are for (remove "
            "concurrency from [speeds.immediate], or deploy with routine or fast)");
  EXPECT_TRUE(contains(refusal(speeds("[speeds.immediate]\nhalt_percent = 10\n")),
                       "speeds.immediate.halt_percent: immediate never halts"));
  EXPECT_TRUE(contains(refusal(speeds("[speeds.immediate]\nlogin_poll = true\n")),
                       "speeds.immediate.login_poll: immediate skips the login poll"));
  EXPECT_TRUE(contains(refusal(speeds("[speeds.immediate]\nlogin_wait = 20\n")),
                       "speeds.immediate.login_wait: immediate skips the login poll"));
  EXPECT_TRUE(contains(refusal(speeds("[speeds.routine]\nconcurrency = \"all\"\n")),
                       "speeds.routine.concurrency: \"all\" is not allowed for routine"));
  EXPECT_TRUE(contains(refusal(speeds("[speeds.fast]\nhalt_percent = \"never\"\n")),
                       "speeds.fast.halt_percent: \"never\" is not allowed for fast"));
  EXPECT_TRUE(contains(refusal(speeds("[speeds.fast]\nlogin_poll = false\nlogin_wait = 30\n")),
                       "drover.toml:6: speeds.fast.login_wait: a login wait has no effect with "
                       "login_poll = false"));
}

}  // namespace
}  // namespace drover::cli
