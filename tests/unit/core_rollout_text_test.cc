#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "core/rollout_text.h"

namespace drover::core {
namespace {

using std::chrono::seconds;

RolloutProgress progress(std::size_t finished, std::size_t total, std::size_t failed,
                         long long elapsed_s) {
  return {total, finished, failed, 0, seconds(elapsed_s)};
}

TEST(CoreRolloutText, GuideExampleC) {
  EXPECT_EQ(render_deploy_id_line("6ca32b16-367e-4372-8a33-6dd9442ed2c3"),
            "command: 6ca32b16-367e-4372-8a33-6dd9442ed2c3");
  EXPECT_EQ(render_progress_bar(progress(104, 178, 0, 612)),
            "[############........] 104/178 hosts · 0 errors · 612s");
  RolloutResult result;
  result.total = 178;
  result.succeeded = 178;
  EXPECT_EQ(render_result(result), "--- result: Success (178/178, 0 errors)\n");
}

TEST(CoreRolloutText, BarEdges) {
  EXPECT_EQ(render_progress_bar(progress(0, 178, 0, 0)),
            "[....................] 0/178 hosts · 0 errors · 0s");
  EXPECT_EQ(render_progress_bar(progress(177, 178, 1, 1799)),
            "[###################.] 177/178 hosts · 1 error · 1799s");
  EXPECT_EQ(render_progress_bar(progress(178, 178, 2, 1800)),
            "[####################] 178/178 hosts · 2 errors · 1800s");
  EXPECT_EQ(render_progress_bar(progress(1, 2, 0, 0)),
            "[##########..........] 1/2 hosts · 0 errors · 0s");
  EXPECT_EQ(render_progress_bar(progress(0, 0, 0, 0)),
            "[####################] 0/0 hosts · 0 errors · 0s");
  // Sub-second elapsed time is truncated, never rounded up to a second not yet passed.
  RolloutProgress p = progress(1, 3, 0, 0);
  p.elapsed = std::chrono::milliseconds(1999);
  EXPECT_EQ(render_progress_bar(p), "[#######.............] 1/3 hosts · 0 errors · 1s");
}

TEST(CoreRolloutText, HaltedNamesTheFailedHosts) {
  RolloutResult result;
  result.status = RolloutStatus::halted;
  result.total = 178;
  result.succeeded = 40;
  result.failed = 18;
  result.tolerated_failures = 17;
  for (int i = 59; i < 179; ++i) result.not_started.push_back("host-" + std::to_string(i));
  result.failures = {
      {"host-7",
       HostOutcome::failure(FailureKind::bot_failed, "bot541 rolled back: exited (1)"),
       seconds(40),
       {}},
      {"host-9",
       HostOutcome::failure(FailureKind::unreachable, "ssh: connection refused"),
       seconds(3),
       {}}};
  EXPECT_EQ(render_result(result),
            "--- result: Halted (40/178, 18 errors) — error halt: more than 17 of 178 hosts "
            "failed; 120 host(s) not started\n"
            "  failed host-7: bot541 rolled back: exited (1)\n"
            "  failed host-9: ssh: connection refused\n"
            "  not started: host-59 host-60 host-61 host-62 host-63 host-64 host-65 host-66 "
            "host-67 host-68 host-69 host-70 host-71 host-72 host-73 host-74 host-75 host-76 "
            "host-77 host-78 … and 100 more\n");
}

TEST(CoreRolloutText, FailedAndInterrupted) {
  RolloutResult failed;
  failed.status = RolloutStatus::failed;
  failed.total = 3;
  failed.succeeded = 2;
  failed.failed = 1;
  failed.failures = {{"host-2",
                      HostOutcome::failure(FailureKind::timed_out, "agent timed out"),
                      seconds(600),
                      {}}};
  EXPECT_EQ(render_result(failed),
            "--- result: Failed (2/3, 1 error) — every host was attempted\n"
            "  failed host-2: agent timed out\n");

  RolloutResult interrupted;
  interrupted.status = RolloutStatus::interrupted;
  interrupted.total = 178;
  interrupted.succeeded = 60;
  interrupted.not_started = {"host-3"};
  EXPECT_EQ(render_result(interrupted),
            "--- result: Interrupted (60/178, 0 errors) — stopped by the operator; 1 host(s) "
            "not started\n"
            "  not started: host-3\n");
}

TEST(CoreRolloutText, PlainHostLines) {
  const auto p = progress(104, 178, 1, 600);
  EXPECT_EQ(render_host_line({"host-7", HostOutcome::success(), seconds(42), {}}, p),
            "[104/178] host-7: ok (42s)");
  EXPECT_EQ(render_host_line({"host-8",
                              HostOutcome::failure(FailureKind::bot_failed, "bot541 rolled back"),
                              seconds(40),
                              {}},
                             p),
            "[104/178] host-8: FAILED: bot541 rolled back (40s)");
}

TEST(CoreHostOutcome, FailureAlwaysHasAReason) {
  const auto f = HostOutcome::failure(FailureKind::unreachable, "");
  EXPECT_FALSE(f.ok());
  EXPECT_EQ(f.reason, "unreachable");
  EXPECT_EQ(HostOutcome::failure(FailureKind::none, "x").kind, FailureKind::agent_error);
  EXPECT_TRUE(HostOutcome::success().ok());
  for (auto kind : {FailureKind::none, FailureKind::bot_failed, FailureKind::unreachable,
                    FailureKind::timed_out, FailureKind::agent_error, FailureKind::bad_output}) {
    EXPECT_EQ(parse_failure_kind(to_string(kind)), kind);
  }
  EXPECT_EQ(parse_failure_kind("from-the-future"), FailureKind::agent_error);
  for (auto status : {RolloutStatus::success, RolloutStatus::failed, RolloutStatus::halted,
                      RolloutStatus::interrupted}) {
    EXPECT_EQ(parse_rollout_status(to_string(status)), status);
  }
}

}  // namespace
}  // namespace drover::core
