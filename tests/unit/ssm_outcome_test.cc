// SSM invocation outcomes onto transport statuses (transport/ssm/ssm_outcome.h): every status
// an invocation can end in, the shell's 126/127, and output cut at the API's limit.
#include "transport/ssm/ssm_outcome.h"

#include <gtest/gtest.h>

namespace drover::transport {
namespace {

const InvocationContext kContext{"host-1", "i-0123456789abcdef0",
                                 "c0ffee00-0000-0000-0000-000000000000", std::chrono::seconds(60),
                                 CancelReason::none};

SsmInvocation ended(std::string status, std::string details, int code, std::string out = "",
                    bool started = true) {
  return {std::move(status), std::move(details), code, std::move(out), "progress\n", started};
}

TEST(SsmOutcome, SuccessWithAReportIsOk) {
  auto r = agent_result_for(ended("Success", "Success", 0, "log\n{\"ok\":true}\n"), kContext);
  EXPECT_EQ(r.status, core::TransportStatus::ok);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(core::parsed_report(r)["ok"], true);
  EXPECT_EQ(r.stderr_tail, "progress");
}

TEST(SsmOutcome, ExitOneWithAReportIsOkForTheReportToJudge) {
  auto r = agent_result_for(ended("Failed", "Failed", 1, "{\"bots\":[]}\n"), kContext);
  EXPECT_EQ(r.status, core::TransportStatus::ok);
  EXPECT_EQ(r.exit_code, 1);
}

TEST(SsmOutcome, ExitThreeIsAgentFailedWithTheReportsError) {
  auto r =
      agent_result_for(ended("Failed", "Failed", 3, "{\"error\":\"docker down\"}\n"), kContext);
  EXPECT_EQ(r.status, core::TransportStatus::agent_failed);
  EXPECT_NE(r.detail.find("docker down"), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find("host-1"), std::string::npos) << r.detail;
}

TEST(SsmOutcome, ShellCouldNotFindOrRunTheAgentIsAgentMissing) {
  for (int code : {126, 127}) {
    auto r = agent_result_for(ended("Failed", "Failed", code), kContext);
    EXPECT_EQ(r.status, core::TransportStatus::agent_missing) << code;
    EXPECT_NE(r.detail.find("--install-agent"), std::string::npos) << r.detail;
  }
}

TEST(SsmOutcome, NotDeliveredIsUnreachable) {
  for (auto [status, details] :
       {std::pair{"Failed", "Undeliverable"}, std::pair{"TimedOut", "DeliveryTimedOut"},
        std::pair{"Failed", "Terminated"}, std::pair{"Failed", "InvalidPlatform"}}) {
    auto r = agent_result_for(ended(status, details, -1, "", false), kContext);
    EXPECT_EQ(r.status, core::TransportStatus::unreachable) << details;
    EXPECT_NE(r.detail.find(details), std::string::npos) << r.detail;
    EXPECT_NE(r.detail.find("nothing ran"), std::string::npos) << r.detail;
  }
}

TEST(SsmOutcome, ExecutionTimedOutIsTimedOut) {
  auto r = agent_result_for(ended("TimedOut", "ExecutionTimedOut", 137), kContext);
  EXPECT_EQ(r.status, core::TransportStatus::timed_out);
  EXPECT_NE(r.detail.find("60s"), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find("recover"), std::string::npos) << r.detail;
}

TEST(SsmOutcome, CancelledBeforeItStartedIsUnreachableAndSaysWhy) {
  auto context = kContext;
  context.cancelled_by = CancelReason::operator_interrupt;
  auto r = agent_result_for(ended("Cancelled", "Cancelled", -1, "", false), context);
  EXPECT_EQ(r.status, core::TransportStatus::unreachable);
  EXPECT_NE(r.detail.find("interrupt"), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find("nothing ran"), std::string::npos) << r.detail;
}

TEST(SsmOutcome, CancelledByOurTimeoutWhileRunningIsTimedOut) {
  auto context = kContext;
  context.cancelled_by = CancelReason::call_timeout;
  auto r = agent_result_for(ended("Cancelled", "Cancelled", 137), context);
  EXPECT_EQ(r.status, core::TransportStatus::timed_out);
}

TEST(SsmOutcome, CancelledBySomeoneElseWhileRunningIsAgentFailed) {
  auto r = agent_result_for(ended("Cancelled", "Cancelled", 137), kContext);
  EXPECT_EQ(r.status, core::TransportStatus::agent_failed);
  EXPECT_NE(r.detail.find("not by drover"), std::string::npos) << r.detail;
}

TEST(SsmOutcome, OutputCutAtTheApiLimitIsBadOutputNeverParsed) {
  // A report that happens to be valid JSON up to the cut must not be trusted either.
  std::string out = "{\"bots\":[" + std::string(kSsmStdoutLimit - 9, ' ');
  out.resize(kSsmStdoutLimit);
  auto r = agent_result_for(ended("Success", "Success", 0, out), kContext);
  EXPECT_EQ(r.status, core::TransportStatus::bad_output);
  EXPECT_TRUE(r.report_line.empty());
  EXPECT_NE(r.detail.find("24000 characters"), std::string::npos) << r.detail;
}

TEST(SsmOutcome, TruncationCountsCharactersNotBytes) {
  std::string almost(kSsmStdoutLimit - 1, 'x');
  EXPECT_FALSE(output_truncated(almost));
  EXPECT_TRUE(output_truncated(almost + "x"));
  // 12,000 two-byte characters are 24,000 bytes but only half the limit.
  std::string wide;
  for (std::size_t i = 0; i < kSsmStdoutLimit / 2; ++i) wide += "\xc3\xa9";
  EXPECT_FALSE(output_truncated(wide));
}

TEST(SsmOutcome, ParsesGetCommandInvocation) {
  auto inv = parse_invocation({{"Status", "InProgress"},
                               {"StatusDetails", "InProgress"},
                               {"ResponseCode", -1},
                               {"ExecutionStartDateTime", "2026-01-01T00:00:00.000Z"},
                               {"StandardOutputContent", ""}});
  EXPECT_EQ(inv.status, "InProgress");
  EXPECT_TRUE(inv.started);
  EXPECT_FALSE(is_terminal(inv));
  EXPECT_FALSE(not_started(inv));
  EXPECT_TRUE(not_started(parse_invocation({{"Status", "Delayed"}})));
  EXPECT_TRUE(is_terminal(parse_invocation({{"Status", "Cancelled"}})));
}

}  // namespace
}  // namespace drover::transport
