#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "core/duration_estimate.h"
#include "core/halt_threshold.h"
#include "core/input_error.h"
#include "core/speed.h"
#include "core/speed_settings.h"

namespace drover::core {
namespace {

using std::chrono::seconds;

TEST(CoreSpeed, ParsesSpeeds) {
  EXPECT_EQ(parse_speed("routine"), SpeedName::routine);
  EXPECT_EQ(parse_speed("fast"), SpeedName::fast);
  EXPECT_EQ(parse_speed("immediate"), SpeedName::immediate);
  EXPECT_THROW(parse_speed("slow"), InputError);
  EXPECT_THROW(parse_speed(""), InputError);
  EXPECT_THROW(parse_speed("Routine"), InputError);
}

TEST(CoreSpeed, ImmediateOnlyForAllWithTheReason) {
  EXPECT_NO_THROW(check_speed_allowed(SpeedName::immediate, TargetKind::all));
  EXPECT_NO_THROW(check_speed_allowed(SpeedName::routine, TargetKind::bot));
  EXPECT_NO_THROW(check_speed_allowed(SpeedName::fast, TargetKind::staging));
  for (auto target : {TargetKind::staging, TargetKind::bot}) {
    try {
      check_speed_allowed(SpeedName::immediate, target);
      FAIL();
    } catch (const InputError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find("immediate is only for 'all'"), std::string::npos) << message;
      EXPECT_NE(message.find("restarts every bot at once"), std::string::npos) << message;
      EXPECT_NE(message.find("use routine or fast"), std::string::npos) << message;
    }
  }
}

TEST(CoreSpeedSettings, DefaultsAreTheGuidesTable) {
  const auto routine = default_speed_settings(SpeedName::routine);
  EXPECT_EQ(routine.concurrency, Concurrency::hosts(5));
  EXPECT_EQ(routine.stop_timeout, seconds(35));
  EXPECT_EQ(routine.halt, HaltThreshold::over_fraction(0.10));
  EXPECT_EQ(routine.jitter, seconds(0));
  EXPECT_TRUE(routine.login_poll);

  const auto fast = default_speed_settings(SpeedName::fast);
  EXPECT_EQ(fast.concurrency, Concurrency::hosts(10));
  EXPECT_EQ(fast.stop_timeout, seconds(20));
  EXPECT_EQ(fast.halt, HaltThreshold::over_fraction(0.10));

  const auto immediate = default_speed_settings(SpeedName::immediate);
  EXPECT_TRUE(immediate.concurrency.is_all());
  EXPECT_EQ(immediate.stop_timeout, seconds(5));
  EXPECT_TRUE(immediate.halt.is_never());
  EXPECT_EQ(immediate.jitter, seconds(60));
  EXPECT_EQ(immediate.settle, seconds(5));
  EXPECT_FALSE(immediate.login_poll);
}

TEST(CoreSpeedSettings, OverridesFieldByField) {
  SpeedOverrides overrides;
  overrides.stop_timeout = seconds(50);
  overrides.concurrency = Concurrency::hosts(3);
  const auto s =
      apply_overrides(SpeedName::routine, default_speed_settings(SpeedName::routine), overrides);
  EXPECT_EQ(s.stop_timeout, seconds(50));
  EXPECT_EQ(s.concurrency.count(), 3u);
  EXPECT_EQ(s.halt, HaltThreshold::over_fraction(0.10));  // untouched
  EXPECT_EQ(s.settle, seconds(10));

  SpeedOverrides all;
  all.concurrency = Concurrency::all_hosts();
  all.halt = HaltThreshold::never();
  all.jitter = seconds(30);
  all.settle = seconds(3);
  all.login_poll = false;
  all.login_wait = seconds(0);
  const auto t = apply_overrides(SpeedName::fast, default_speed_settings(SpeedName::fast), all);
  EXPECT_TRUE(t.concurrency.is_all());
  EXPECT_TRUE(t.halt.is_never());
  EXPECT_EQ(t.jitter, seconds(30));
  EXPECT_FALSE(t.login_poll);
}

TEST(CoreSpeedSettings, RefusesNonsenseOverrides) {
  SpeedOverrides negative;
  negative.settle = seconds(-1);
  try {
    apply_overrides(SpeedName::fast, {}, negative);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "speeds.fast");
  }
  EXPECT_THROW(Concurrency::hosts(0), InputError);
  EXPECT_THROW(HaltThreshold::over_fraction(1.5), InputError);
  EXPECT_THROW(HaltThreshold::over_fraction(-0.1), InputError);
}

TEST(CoreSpeedSettings, SpeedTableIndexesByName) {
  SpeedTable table;
  table[SpeedName::fast].stop_timeout = seconds(21);
  EXPECT_EQ(table.fast.stop_timeout, seconds(21));
  EXPECT_EQ(table[SpeedName::immediate].settle, seconds(5));
  EXPECT_EQ(format_seconds(seconds(35)), "35s");
  EXPECT_EQ(format_seconds(std::chrono::milliseconds(1500)), "2s");
}

TEST(CoreSpeedSettings, ConcurrencyWindow) {
  EXPECT_EQ(Concurrency::hosts(5).window(178), 5u);
  EXPECT_EQ(Concurrency::hosts(5).window(1), 1u);
  EXPECT_EQ(Concurrency::all_hosts().window(178), 178u);
}

TEST(CoreHaltThreshold, ExceedingMeansStrictlyMore) {
  const auto ten = HaltThreshold::over_fraction(0.10);
  // 178 hosts: 17.8 → the 18th failure halts, the 17th does not.
  EXPECT_EQ(ten.tolerated_failures(178), 17u);
  EXPECT_FALSE(ten.halts(17, 178));
  EXPECT_TRUE(ten.halts(18, 178));
  // 3 hosts: 0.3 → the first failure halts.
  EXPECT_TRUE(ten.halts(1, 3));
  EXPECT_FALSE(ten.halts(0, 3));
  // Exactly at the threshold does not halt, even where binary floating point rounds.
  EXPECT_FALSE(ten.halts(1, 10));
  EXPECT_TRUE(ten.halts(2, 10));
  EXPECT_FALSE(ten.halts(3, 30));
  EXPECT_FALSE(HaltThreshold::over_fraction(0.29).halts(29, 100));
  EXPECT_TRUE(HaltThreshold::over_fraction(0.29).halts(30, 100));
  EXPECT_TRUE(HaltThreshold::over_fraction(0.0).halts(1, 1000));
  EXPECT_FALSE(HaltThreshold::over_fraction(1.0).halts(1000, 1000));
}

TEST(CoreHaltThreshold, NeverNeverHalts) {
  const auto never = HaltThreshold::never();
  EXPECT_TRUE(never.is_never());
  EXPECT_FALSE(never.halts(534, 534));
}

TEST(CoreDurationEstimate, GuideFleetComesOutAsTheGuideSays) {
  EXPECT_EQ(format_estimate(estimate_duration(default_speed_settings(SpeedName::routine), 178)),
            "~15-30 min");
  EXPECT_EQ(format_estimate(estimate_duration(default_speed_settings(SpeedName::fast), 178)),
            "~8-15 min");
  EXPECT_EQ(format_estimate(estimate_duration(default_speed_settings(SpeedName::immediate), 178)),
            "fires over ~60s");
}

TEST(CoreDurationEstimate, ScalesWithHostsAndConcurrency) {
  const auto routine = default_speed_settings(SpeedName::routine);
  const auto one = estimate_duration(routine, 1);
  EXPECT_EQ(one.low, seconds(25));
  EXPECT_EQ(one.high, seconds(50));
  EXPECT_EQ(format_estimate(one), "~25-50s");
  EXPECT_EQ(estimate_duration(routine, 6).high, seconds(100));  // two windows
  EXPECT_EQ(format_estimate(estimate_duration(routine, 11)), "~2-3 min");
  auto no_poll = routine;
  no_poll.login_poll = false;
  EXPECT_EQ(format_estimate(estimate_duration(no_poll, 5)), "~25s");
  EXPECT_EQ(format_estimate(estimate_duration(routine, 0)), "~0s");
}

}  // namespace
}  // namespace drover::core
