#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>

#include "core/deploy_exit_code.h"
#include "core/straggler_retry.h"
#include "core/verification.h"
#include "core/verification_text.h"
#include "core/verified_result.h"

namespace drover::core {
namespace {

using std::chrono::seconds;

BotStatus running(BotId bot, bool on_version, LoginState login) {
  BotStatus status;
  status.bot = bot;
  status.present = true;
  status.running = true;
  status.matches_expected = on_version;
  status.login = login;
  return status;
}

BotStatus absent(BotId bot) {
  BotStatus status;
  status.bot = bot;
  return status;
}

// The guide's fleet after a clean deploy where six bots are still logging in.
struct GuideFleetAfterDeploy {
  std::vector<BotId> expected;
  std::vector<BotStatus> observed;
  GuideFleetAfterDeploy() {
    const std::set<BotId> slow = {512, 516, 517, 603, 77, 89};
    for (BotId bot = 70; bot <= 603; ++bot) {  // 534 bots
      expected.push_back(bot);
      observed.push_back(
          running(bot, true, slow.count(bot) ? LoginState::not_logged_in : LoginState::logged_in));
    }
  }
};

TEST(CoreVerification, GuideExampleD) {
  GuideFleetAfterDeploy fleet;
  const auto report = classify_bots(fleet.expected, fleet.observed);
  EXPECT_EQ(render_verification_report(report),
            "── verification report (534 bots) ──\n"
            "  on deployed version : 534/534\n"
            "  logged into Steam   : 528/534\n"
            "  stale (old image)   : 0\n"
            "  down (no container) : 0\n"
            "  not logged in yet   : 6 -> bot512 bot516 bot517 bot603 bot77 bot89\n");
  EXPECT_TRUE(report.all_on_version());
}

TEST(CoreVerification, ClassifiesEveryBotOnce) {
  auto exited = running(5, true, LoginState::unknown);
  exited.running = false;
  exited.state = "exited";
  exited.exit_code = 3;
  exited.image = "127.0.0.1:5000/bot@sha256:0123456789abcdef0123";
  const std::vector<BotStatus> observed = {
      running(1, true, LoginState::logged_in),
      running(2, false, LoginState::logged_in),
      running(3, false, LoginState::not_logged_in),
      absent(4),
      exited,
      running(6, true, LoginState::unknown),
      running(99, true, LoginState::logged_in),
      running(1, false, LoginState::not_logged_in)};  // duplicate: the first report counts
  const auto report = classify_bots({6, 5, 4, 3, 2, 1, 7}, observed);
  EXPECT_EQ(report.total, 7u);
  EXPECT_EQ(report.on_version, (std::vector<BotId>{1, 6}));
  EXPECT_EQ(report.stale, (std::vector<BotId>{2, 3}));
  EXPECT_EQ(report.down, (std::vector<BotId>{4, 5}));
  EXPECT_EQ(report.down_reasons.at(4), "no container");
  EXPECT_EQ(report.unanswered, (std::vector<BotId>{7}));
  EXPECT_EQ(report.logged_in, (std::vector<BotId>{1, 2}));
  EXPECT_EQ(report.not_logged_in, (std::vector<BotId>{3, 6}));
  EXPECT_FALSE(report.all_on_version());
  EXPECT_EQ(render_verification_report(report),
            "── verification report (7 bots) ──\n"
            "  on deployed version : 2/7\n"
            "  logged into Steam   : 2/7\n"
            "  stale (old image)   : 2 -> bot2 bot3\n"
            "  down (no container) : 1 -> bot4\n"
            "  down (not running)  : 1 -> bot5 (exited with code 3 on "
            "127.0.0.1:5000/bot@sha256:0123456789ab)\n"
            "  no answer (host)    : 1 -> bot7\n"
            "  not logged in yet   : 2 -> bot3 bot6\n");
}

TEST(CoreStragglerRetry, RechecksOnlyStragglersOnTheirHosts) {
  Selection selection{Target::all(),
                      {{"host-1", std::nullopt, {1, 2, 3}},
                       {"host-2", std::string("10.0.0.2"), {4, 5, 6}},
                       {"host-3", std::nullopt, {7, 8, 9}}}};
  VerificationReport report;
  report.not_logged_in = {2, 3, 8};
  const auto plan = plan_straggler_retry(report, selection);
  EXPECT_EQ(plan.wait, seconds(60));
  ASSERT_EQ(plan.hosts.size(), 2u);
  EXPECT_EQ(plan.hosts[0], (HostSelection{"host-1", std::nullopt, {2, 3}}));
  EXPECT_EQ(plan.hosts[1], (HostSelection{"host-3", std::nullopt, {8}}));
  EXPECT_EQ(plan.bot_count(), 3u);

  const auto result = evaluate_straggler_retry(
      plan, {running(3, true, LoginState::logged_in), running(2, true, LoginState::not_logged_in),
             running(1, true, LoginState::logged_in)});
  EXPECT_EQ(result.stragglers, 3u);
  EXPECT_EQ(result.logged_in_during_wait, (std::vector<BotId>{3}));
  EXPECT_EQ(result.still_not_logged_in, (std::vector<BotId>{2, 8}));
  EXPECT_FALSE(result.all_logged_in());

  VerificationReport clean;
  EXPECT_TRUE(plan_straggler_retry(clean, selection).empty());
}

TEST(CoreStragglerRetry, ABotThatWentDownIsStillNotLoggedIn) {
  StragglerRetryPlan plan{{{"h", std::nullopt, {1}}}, seconds(60)};
  auto gone = running(1, true, LoginState::logged_in);
  gone.running = false;
  EXPECT_EQ(evaluate_straggler_retry(plan, {gone}).still_not_logged_in, (std::vector<BotId>{1}));
}

TEST(CoreStragglerRetry, GuideExampleE) {
  EXPECT_EQ(render_straggler_countdown(6, seconds(41)),
            "letting 6 straggler(s) finish Steam login — retry in 41s");
  EXPECT_EQ(render_straggler_countdown(6, std::chrono::milliseconds(40001)),
            "letting 6 straggler(s) finish Steam login — retry in 41s");
  EXPECT_EQ(render_straggler_countdown(6, seconds(-3)),
            "letting 6 straggler(s) finish Steam login — retry in 0s");
  EXPECT_EQ(render_straggler_recheck(6), "re-checking the 6 straggler(s)…");
  StragglerRetryResult all_in{6, {77, 89, 512, 516, 517, 603}, {}};
  EXPECT_EQ(render_straggler_result(all_in),
            "── retry result ──\n"
            "  logged in during wait : 6/6\n"
            "  STILL not logged in   : 0 ✅\n"
            "──────────────────────────────────────\n");
}

TEST(CoreStragglerRetry, FailureIsMarkedAndListed) {
  StragglerRetryResult some_out{6, {77, 89, 516, 603}, {512, 517}};
  EXPECT_EQ(render_straggler_result(some_out),
            "── retry result ──\n"
            "  logged in during wait : 4/6\n"
            "  STILL not logged in   : 2 ❌ -> bot512 bot517\n"
            "──────────────────────────────────────\n");
}

TEST(CoreStragglerRetry, CountdownFromTheClock) {
  StragglerRetryPlan plan{{}, seconds(60)};
  const TimePoint start{seconds(100)};
  EXPECT_EQ(straggler_wait_remaining(plan, start, start + seconds(19)), seconds(41));
  EXPECT_EQ(straggler_wait_remaining(plan, start, start + seconds(61)), seconds(0));
}

TEST(CoreDeployExitCode, MostSevereCauseWins) {
  RolloutResult ok;
  RolloutResult halted;
  halted.status = RolloutStatus::halted;
  RolloutResult interrupted;
  interrupted.status = RolloutStatus::interrupted;
  RolloutResult failed;
  failed.status = RolloutStatus::failed;
  VerificationReport clean;
  VerificationReport stale;
  stale.stale = {1};
  VerificationReport unanswered;
  unanswered.unanswered = {1};
  VerificationReport stragglers;
  stragglers.not_logged_in = {1};
  StragglerRetryResult all_in{1, {1}, {}};
  StragglerRetryResult still_out{1, {}, {1}};

  EXPECT_EQ(deploy_exit_code(ok, &clean, nullptr), ExitCode::success);
  EXPECT_EQ(deploy_exit_code(ok, nullptr, nullptr), ExitCode::success);
  EXPECT_EQ(deploy_exit_code(halted, &stale, &still_out), ExitCode::halted);
  EXPECT_EQ(deploy_exit_code(interrupted, &clean, nullptr), kInterrupted);
  EXPECT_EQ(deploy_exit_code(failed, &clean, nullptr), ExitCode::stale_or_down);
  EXPECT_EQ(deploy_exit_code(ok, &stale, &all_in), ExitCode::stale_or_down);
  EXPECT_EQ(deploy_exit_code(ok, &unanswered, nullptr), ExitCode::stale_or_down);
  EXPECT_EQ(deploy_exit_code(ok, &stragglers, &still_out), ExitCode::still_not_logged_in);
  EXPECT_EQ(deploy_exit_code(ok, &stragglers, &all_in), ExitCode::success);
  EXPECT_EQ(deploy_exit_code(ok, &stragglers, nullptr), ExitCode::still_not_logged_in);
  EXPECT_EQ(verification_exit_code(stale, nullptr), ExitCode::stale_or_down);
  EXPECT_EQ(to_int(ExitCode::lock_held), 7);
  EXPECT_EQ(to_int(ExitCode::refused), 3);
  EXPECT_EQ(to_int(ExitCode::usage_error), 2);
}

TEST(CoreVerification, ABotThatExistsButDoesNotRunIsDownWithItsReason) {
  auto status = running(8, true, LoginState::unknown);
  status.running = false;
  status.image = "127.0.0.1:5000/bot@sha256:fedcba9876543210fedcba";
  status.state = "restarting";
  EXPECT_EQ(down_reason(status), "crash-looping on 127.0.0.1:5000/bot@sha256:fedcba987654");
  status.state = "exited";
  status.exit_code = 137;
  EXPECT_EQ(down_reason(status), "exited with code 137 on 127.0.0.1:5000/bot@sha256:fedcba987654");
  status.state = "created";
  EXPECT_EQ(down_reason(status), "never started on 127.0.0.1:5000/bot@sha256:fedcba987654");
  status.image = "127.0.0.1:5000/bot:v2";
  status.state = "";  // an older agent says only "not running"
  EXPECT_EQ(down_reason(status), "not running on 127.0.0.1:5000/bot:v2");
  EXPECT_EQ(down_reason(absent(8)), "no container");

  status.state = "restarting";
  const auto report = classify_bots({8, 9}, {status, absent(9)});
  EXPECT_EQ(report.down, (std::vector<BotId>{8, 9}));
  EXPECT_EQ(report.down_reasons.at(8), "crash-looping on 127.0.0.1:5000/bot:v2");
  EXPECT_EQ(report.down_reasons.at(9), "no container");
  EXPECT_TRUE(report.on_version.empty()) << "a crash loop is never on the deployed version";
}

// A host whose agent confirmed its bots but whose bot verification finds down is a failure
// in the result line; hosts that were not confirmed, or whose bots run, are left alone.
TEST(CoreVerification, AConfirmedHostWithABotFoundDownCountsAsFailed) {
  RolloutResult result;
  result.status = RolloutStatus::success;
  result.total = 3;
  result.succeeded = 3;
  VerificationReport report;
  report.down = {14};
  report.down_reasons[14] = "crash-looping on repo@sha256:0123456789ab";
  const std::vector<HostSelection> confirmed = {{"dh4", std::nullopt, {10, 11, 12}},
                                                {"dh5", std::nullopt, {13, 14, 15}}};

  auto corrected = fail_confirmed_hosts_found_down(result, confirmed, report);

  EXPECT_EQ(corrected.status, RolloutStatus::failed);
  EXPECT_EQ(corrected.succeeded, 2u);
  EXPECT_EQ(corrected.failed, 1u);
  ASSERT_EQ(corrected.failures.size(), 1u);
  EXPECT_EQ(corrected.failures[0].host, "dh5");
  EXPECT_EQ(corrected.failures[0].outcome.kind, FailureKind::bot_failed);
  EXPECT_EQ(corrected.failures[0].outcome.reason,
            "the agent confirmed its bots, but verification found bot14 (crash-looping on "
            "repo@sha256:0123456789ab)");
  EXPECT_EQ(deploy_exit_code(corrected, &report, nullptr), ExitCode::stale_or_down);

  // A halt stays a halt; nothing down changes nothing.
  result.status = RolloutStatus::halted;
  EXPECT_EQ(fail_confirmed_hosts_found_down(result, confirmed, report).status,
            RolloutStatus::halted);
  EXPECT_EQ(fail_confirmed_hosts_found_down(result, confirmed, VerificationReport{}), result);
}

}  // namespace
}  // namespace drover::core
