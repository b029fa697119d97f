#include <gtest/gtest.h>

#include <string>

#include "core/confirmation.h"
#include "core/deploy_plan.h"
#include "core/image_reference.h"
#include "core/input_error.h"
#include "core/plan_box.h"
#include "core/speed_table.h"
#include "core_test_fleets.h"

namespace drover::core {
namespace {

const std::string kDigest = "sha256:" + std::string(64, 'b');

DeployPlan plan_for(const Target& target, SpeedName speed, const SpeedTable& speeds = {}) {
  const auto fleet = testfleets::guide_fleet();
  return make_plan(fleet, target, speed, speeds,
                   parse_image_reference("127.0.0.1:5000/tradebot:v2"), "d-1",
                   "2026-06-12T10:00:00Z");
}

TEST(CoreSpeedTable, GuideExampleA) {
  const auto selection = select_hosts(testfleets::guide_fleet(), Target::all());
  EXPECT_EQ(render_speed_table(SpeedTable{}, selection),
            "Deploy speed for ALL 178 production hosts (~534 bots):\n"
            "  speed      hosts/at  ~logins  stop  halt-errs  est. time\n"
            "  routine    5         ~15      35s   10%        ~15-30 min\n"
            "  fast       10        ~30      20s   10%        ~8-15 min\n"
            "  immediate  ALL       ~534     5s    never      fires over ~60s\n");
  EXPECT_EQ(speed_prompt(TargetKind::all), "choose 1=routine 2=fast 3=immediate: ");
}

TEST(CoreSpeedTable, StagingOffersNoImmediate) {
  const auto selection = select_hosts(testfleets::guide_fleet(), Target::staging());
  EXPECT_EQ(render_speed_table(SpeedTable{}, selection),
            "Deploy speed for 1 staging host(s) (~3 bots):\n"
            "  speed    hosts/at  ~logins  stop  halt-errs  est. time\n"
            "  routine  5         ~3       35s   10%        ~25-50s\n"
            "  fast     10        ~3       20s   10%        ~25-50s\n");
  EXPECT_EQ(speed_prompt(TargetKind::staging), "choose 1=routine 2=fast: ");
}

TEST(CoreSpeedTable, ShowsOverrides) {
  SpeedTable speeds;
  speeds.routine.concurrency = Concurrency::hosts(100);
  speeds.routine.halt = HaltThreshold::over_fraction(0.125);
  const auto selection = select_hosts(testfleets::guide_fleet(), Target::all());
  const auto table = render_speed_table(speeds, selection);
  EXPECT_NE(table.find("  routine    100       ~300     35s   12.5%      ~50-100s\n"),
            std::string::npos)
      << table;
}

TEST(CoreSpeedTable, ParsesTheChoice) {
  EXPECT_EQ(parse_speed_choice("1\n", TargetKind::all), SpeedName::routine);
  EXPECT_EQ(parse_speed_choice(" 2 ", TargetKind::all), SpeedName::fast);
  EXPECT_EQ(parse_speed_choice("3", TargetKind::all), SpeedName::immediate);
  EXPECT_EQ(parse_speed_choice("fast", TargetKind::all), SpeedName::fast);
  EXPECT_EQ(parse_speed_choice("", TargetKind::all), SpeedName::routine);
  EXPECT_EQ(parse_speed_choice("\n", TargetKind::bot), SpeedName::routine);
  EXPECT_THROW(parse_speed_choice("4", TargetKind::all), InputError);
  EXPECT_THROW(parse_speed_choice("1 2", TargetKind::all), InputError);
  EXPECT_THROW(parse_speed_choice("3", TargetKind::staging), InputError);
  EXPECT_THROW(parse_speed_choice("immediate", TargetKind::bot), InputError);
}

TEST(CoreSpeedTable, HaltAndLogins) {
  EXPECT_EQ(format_halt(HaltThreshold::over_fraction(0.10)), "10%");
  EXPECT_EQ(format_halt(HaltThreshold::never()), "never");
  const auto routine = default_speed_settings(SpeedName::routine);
  EXPECT_EQ(simultaneous_logins(routine, 178, 534), 15u);
  EXPECT_EQ(simultaneous_logins(routine, 2, 6), 6u);
  EXPECT_EQ(simultaneous_logins(routine, 0, 0), 0u);
}

TEST(CorePlanBox, GuideExampleB) {
  auto plan = plan_for(Target::all(), SpeedName::routine);
  plan.pinned_image = "127.0.0.1:5000/tradebot@" + kDigest;
  EXPECT_EQ(render_plan_box(plan),
            "================ deploy plan ================\n"
            "Target        ALL production bots\n"
            "Hosts         178 (~534 bots)\n"
            "Speed         routine\n"
            "Concurrency   5 host(s) at a time (~15 simultaneous Steam logins)\n"
            "Graceful stop 35s\n"
            "Error halt    10%\n"
            "Est. duration ~15-30 min (guide's estimate, no history)\n"
            "Image         127.0.0.1:5000/tradebot:v2\n"
            "Digest        127.0.0.1:5000/tradebot@" +
                kDigest +
                "\n"
                "=============================================\n");
  EXPECT_EQ(confirmation_prompt(plan), "Proceed? type the host count (178): ");
}

TEST(CorePlanBox, AMeasuredEstimateReplacesTheGuidesAndSaysWhereItCameFrom) {
  auto plan = plan_for(Target::all(), SpeedName::routine);
  plan.measured_estimate =
      MeasuredEstimate{std::chrono::seconds(250), std::chrono::seconds(302), 12, 2136};
  const auto box = render_plan_box(plan);
  EXPECT_NE(box.find("Est. duration ~4m10s (simulated from 12 deploys; p90 ~5m02s)\n"),
            std::string::npos)
      << box;
  EXPECT_EQ(box.find("guide's estimate"), std::string::npos) << box;
}

TEST(CorePlanBox, SpansReadAsMinutesAndSeconds) {
  EXPECT_EQ(format_span(std::chrono::milliseconds(0)), "0s");
  EXPECT_EQ(format_span(std::chrono::milliseconds(44'001)), "45s");
  EXPECT_EQ(format_span(std::chrono::seconds(250)), "4m10s");
  EXPECT_EQ(format_span(std::chrono::seconds(3599)), "59m59s");
  EXPECT_EQ(format_span(std::chrono::seconds(3900)), "1h05m");
}

TEST(CorePlanBox, DigestNotYetResolved) {
  const auto box = render_plan_box(plan_for(Target::staging(), SpeedName::fast));
  EXPECT_NE(box.find("Target        staging bots 898/899/900\n"), std::string::npos) << box;
  EXPECT_NE(box.find("Hosts         1 (~3 bots)\n"), std::string::npos) << box;
  EXPECT_NE(box.find("Concurrency   1 host(s) at a time, every selected host (~3 simultaneous "
                     "Steam logins; the speed allows 10)\n"),
            std::string::npos)
      << box;
  EXPECT_NE(box.find("Digest        (resolved before the first host starts)\n"), std::string::npos)
      << box;
}

TEST(CorePlanBox, ImmediateShowsTheStormAndWarns) {
  const auto box = render_plan_box(plan_for(Target::all(), SpeedName::immediate));
  EXPECT_NE(box.find("Concurrency   ALL 178 host(s) at once (~534 simultaneous Steam logins)\n"),
            std::string::npos)
      << box;
  EXPECT_NE(box.find("Error halt    never\n"), std::string::npos) << box;
  EXPECT_NE(box.find("Est. duration fires over ~60s (guide's estimate, no history)\n"),
            std::string::npos)
      << box;
  EXPECT_NE(box.find("Storm spread  178 hosts over 60s, one every 0.34s, random order\n"),
            std::string::npos)
      << box;
  EXPECT_EQ(box.find("Login rate"), std::string::npos) << "no cap unless configured: " << box;
  EXPECT_NE(box.find("Login poll    skipped (5s settle only)\n"), std::string::npos) << box;
  EXPECT_NE(box.find("WARNING: immediate restarts all ~534 bots at once"), std::string::npos)
      << box;
  for (const char* guide_words :
       {"re-authenticates to Steam and reconnects to Redis simultaneously",
        "Steam rate-limits the logins", "Redis can refuse or time out the flood of new connections",
        "bots can crash-loop while the storm clears"}) {
    EXPECT_NE(box.find(guide_words), std::string::npos) << guide_words << "\n" << box;
  }
}

TEST(CorePlanBox, LoginRateShowsTheCapAndStretchesTheEstimate) {
  SpeedTable speeds;
  speeds.immediate.login_rate = 5;  // 3 bots a host: one host a second, 178 s for the fleet
  auto box = render_plan_box(plan_for(Target::all(), SpeedName::immediate, speeds));
  EXPECT_NE(box.find("Login rate    at most 5 bots start per second (last host starts at ~177s)\n"),
            std::string::npos)
      << box;
  EXPECT_NE(box.find("Est. duration fires over ~177s (guide's estimate, no history)\n"),
            std::string::npos)
      << box;
  // routine's 36 windows take longer than the cap's 59 s, so its estimate stays the guide's.
  speeds.routine.login_rate = 10;
  box = render_plan_box(plan_for(Target::all(), SpeedName::routine, speeds));
  EXPECT_NE(box.find("Login rate    at most 10 bots start per second (last host starts at ~59s)\n"),
            std::string::npos)
      << box;
  EXPECT_NE(box.find("Est. duration ~15-30 min (guide's estimate, no history)\n"),
            std::string::npos)
      << box;
  EXPECT_EQ(box.find("Storm spread"), std::string::npos) << "routine has no storm window: " << box;
}

TEST(CorePlan, PinsADigestTheOperatorGave) {
  const auto plan = make_plan(testfleets::small_fleet(), Target::all(), SpeedName::routine, {},
                              parse_image_reference("reg.io/bot:v2@" + kDigest), "d", "t");
  EXPECT_EQ(plan.pinned_image, "reg.io/bot@" + kDigest);
  EXPECT_EQ(plan.image, "reg.io/bot:v2@" + kDigest);
  EXPECT_EQ(plan.fleet, "tradebot");
}

TEST(CorePlan, RefusesImmediateForStagingBeforeSelecting) {
  const Fleet no_staging("f", {{"a", std::nullopt, {1}, HostGroup::production}});
  try {
    make_plan(no_staging, Target::staging(), SpeedName::immediate, {},
              parse_image_reference("reg.io/bot:v2"), "d", "t");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "speed");
  }
}

TEST(CoreConfirmation, HostCountForFleetYesForOneBot) {
  const auto fleet_plan = plan_for(Target::all(), SpeedName::routine);
  EXPECT_TRUE(confirmation_accepted(fleet_plan, "178"));
  EXPECT_TRUE(confirmation_accepted(fleet_plan, "178\n"));
  EXPECT_TRUE(confirmation_accepted(fleet_plan, "  178  "));
  for (const char* wrong : {"", "yes", "177", "0178", "178 hosts", "y"}) {
    EXPECT_FALSE(confirmation_accepted(fleet_plan, wrong)) << wrong;
  }
  EXPECT_EQ(refusal_message(fleet_plan, "177\n"),
            "aborted: expected '178', got '177'; nothing was touched");

  const auto bot_plan = plan_for(Target::single_bot(1004), SpeedName::routine);
  EXPECT_EQ(confirmation_prompt(bot_plan), "Proceed? type yes to deploy bot1004: ");
  EXPECT_TRUE(confirmation_accepted(bot_plan, "yes\n"));
  EXPECT_FALSE(confirmation_accepted(bot_plan, "1"));
  EXPECT_FALSE(confirmation_accepted(bot_plan, "y"));
  EXPECT_FALSE(confirmation_accepted(bot_plan, "YES please"));
  const auto box = render_plan_box(bot_plan);
  EXPECT_NE(box.find("Target        bot 1004 on host-2\n"), std::string::npos) << box;
  EXPECT_NE(box.find("Hosts         1 (bot1004 only)\n"), std::string::npos) << box;
}

}  // namespace
}  // namespace drover::core
