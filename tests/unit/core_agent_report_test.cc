#include <gtest/gtest.h>

#include <string>

#include "core/agent_report.h"
#include "core/swap_outcome.h"

namespace drover::core {
namespace {

const std::string kImageId = "sha256:" + std::string(64, 'c');

const std::string kSwap =
    R"({"command":"swap","host":"ip-10-0-0-7","ok":true,)"
    R"("image":{"ref":"127.0.0.1:5000/tradebot:v2","id":")" +
    kImageId + R"(","repo_digest":"127.0.0.1:5000/tradebot@sha256:)" + std::string(64, 'd') +
    R"("},)"
    R"("bots":[{"bot":539,"outcome":"swapped","reason":"","image_id":")" +
    kImageId +
    R"(","repo_digest":"r@d","timings_ms":{"pull":1200,"stop":3000,"start":400,"settle":10000,)"
    R"("downtime":3500},"login":"logged_in"},)"
    R"({"bot":540,"outcome":"unchanged","login":"not_logged_in"},)"
    R"({"bot":541,"outcome":"rolled_back","reason":"exited with code 1","login":"unknown"}],)"
    R"("prune":{"space_reclaimed":123,"images_deleted":2},"error":null})";

const std::string kStatus =
    R"({"command":"status","ok":true,"bots":[)"
    R"({"bot":539,"present":true,"running":true,"restart_count":0,"image_id":")" +
    kImageId +
    R"(","repo_digests":["a@b","c@d"],"matches_expected":true,"login":"logged_in",)"
    R"("login_detail":"healthcheck says healthy"},)"
    R"({"bot":540,"present":false,"running":false,"restart_count":0,"image_id":"",)"
    R"("repo_digests":[],"matches_expected":false,"login":"not_logged_in"}]})";

std::string error_of_swap(const std::string& line) {
  try {
    parse_swap_report(line);
  } catch (const AgentOutputError& e) {
    return e.what();
  }
  return "";
}

TEST(CoreAgentReport, ParsesTheSwapReport) {
  const auto report = parse_swap_report(kSwap);
  EXPECT_EQ(report.host, "ip-10-0-0-7");
  EXPECT_TRUE(report.ok);
  ASSERT_TRUE(report.image.has_value());
  EXPECT_EQ(report.image->id, kImageId);
  EXPECT_EQ(report.image->ref, "127.0.0.1:5000/tradebot:v2");
  ASSERT_EQ(report.bots.size(), 3u);
  EXPECT_EQ(report.bots[0].bot, 539);
  EXPECT_EQ(report.bots[0].outcome, BotSwapOutcome::swapped);
  EXPECT_EQ(report.bots[0].timings.pull_ms, 1200);
  EXPECT_EQ(report.bots[0].timings.downtime_ms, 3500);
  EXPECT_EQ(report.bots[0].login, LoginState::logged_in);
  EXPECT_EQ(report.bots[1].outcome, BotSwapOutcome::unchanged);
  EXPECT_EQ(report.bots[1].timings.pull_ms, 0);
  EXPECT_EQ(report.bots[1].login, LoginState::not_logged_in);
  EXPECT_EQ(report.bots[2].outcome, BotSwapOutcome::rolled_back);
  EXPECT_EQ(report.bots[2].reason, "exited with code 1");
  EXPECT_EQ(report.space_reclaimed, 123);
  EXPECT_EQ(report.images_deleted, 2);
  EXPECT_FALSE(report.error.has_value());
}

TEST(CoreAgentReport, ParsesAFailedPullWithoutImageOrBots) {
  const auto report = parse_swap_report(
      R"({"command":"swap","host":"h","ok":false,"image":null,"bots":[],"prune":null,)"
      R"("error":"pull failed: manifest unknown","extra_field_from_newer_agent":1})");
  EXPECT_FALSE(report.ok);
  EXPECT_FALSE(report.image.has_value());
  EXPECT_EQ(report.error, std::optional<std::string>("pull failed: manifest unknown"));
}

TEST(CoreAgentReport, ErrorsNameTheField) {
  EXPECT_NE(error_of_swap("not json").find("not JSON"), std::string::npos);
  EXPECT_NE(error_of_swap("[1]").find("expected a JSON object"), std::string::npos);
  EXPECT_NE(error_of_swap(R"({"ok":true})").find("report.command: missing"), std::string::npos);
  EXPECT_NE(error_of_swap(R"({"command":"status","ok":true})").find("expected \"swap\""),
            std::string::npos);
  EXPECT_NE(error_of_swap(R"({"command":"swap","ok":"yes"})").find("report.ok: expected true"),
            std::string::npos);
  EXPECT_NE(error_of_swap(R"({"command":"swap","ok":true,"bots":[{"bot":1,"outcome":"boom"}]})")
                .find("report.bots[0].outcome: \"boom\" is not one of"),
            std::string::npos);
  EXPECT_NE(error_of_swap(R"({"command":"swap","ok":true,"bots":[{"bot":"1","outcome":"failed"}]})")
                .find("report.bots[0].bot: expected a bot id"),
            std::string::npos);
  EXPECT_NE(error_of_swap(R"({"command":"swap","ok":true,"bots":[{"bot":-4,"outcome":"failed"}]})")
                .find("out of range"),
            std::string::npos);
  EXPECT_NE(error_of_swap(R"({"command":"swap","ok":true,"bots":{}})").find("expected a list"),
            std::string::npos);
}

// Found by the agent_report fuzzer: a float no int64 can hold was cast (undefined behaviour).
TEST(CoreAgentReport, ANumberTooLargeForAnIntegerIsAnErrorNotUndefinedBehaviour) {
  for (const char* number : {"5.24288e+102", "-1e19", "9223372036854775808.0"}) {
    const auto error = error_of_swap(
        std::string(R"({"command":"swap","ok":true,"free_bytes_before":)") + number + "}");
    EXPECT_NE(error.find("report.free_bytes_before: number out of range"), std::string::npos)
        << number << ": " << error;
  }
  EXPECT_EQ(error_of_swap(R"({"command":"swap","ok":true,"free_bytes_before":1.0e3})"), "");
  EXPECT_NE(
      error_of_swap(R"({"command":"swap","ok":true,"free_bytes_before":8e3083})").find("not JSON"),
      std::string::npos);
}

TEST(CoreAgentReport, ParsesTheStatusReport) {
  const auto report = parse_status_report(kStatus);
  EXPECT_TRUE(report.ok);
  ASSERT_EQ(report.bots.size(), 2u);
  EXPECT_TRUE(report.bots[0].present);
  EXPECT_TRUE(report.bots[0].running);
  EXPECT_EQ(report.bots[0].on_expected_image, true);
  EXPECT_EQ(report.bots[0].repo_digests, (std::vector<std::string>{"a@b", "c@d"}));
  EXPECT_EQ(report.bots[0].login_detail, "healthcheck says healthy");
  EXPECT_FALSE(report.bots[1].present);
  EXPECT_EQ(report.bots[1].on_expected_image, false);
}

TEST(CoreAgentReport, StatusIsStrictWhereItMatters) {
  EXPECT_THROW(parse_status_report(R"({"command":"status","ok":true,"bots":[{"bot":1,)"
                                   R"("present":true,"running":true}]})"),
               AgentOutputError)
      << "a running bot must say whether it matches the expected image";
  EXPECT_THROW(parse_status_report(R"({"command":"status","ok":true,"bots":[{"bot":1}]})"),
               AgentOutputError);
  // Absent container: matches_expected may be omitted, login may be a future value.
  const auto report = parse_status_report(
      R"({"command":"status","ok":true,"bots":[{"bot":1,"present":false,"login":"maybe"}]})");
  EXPECT_FALSE(report.bots[0].running);
  EXPECT_EQ(report.bots[0].login, LoginState::unknown);
  EXPECT_THROW(parse_status_report(kSwap), AgentOutputError);
}

TEST(CoreAgentReport, LastReportLineSkipsLogLinesAndBlankTail) {
  EXPECT_EQ(last_report_line("pulling…\nstopping bot539\n{\"a\":1}\n\n  \n"), "{\"a\":1}");
  EXPECT_EQ(last_report_line("{\"a\":1}\r\n"), "{\"a\":1}");
  EXPECT_EQ(last_report_line("{\"a\":1}"), "{\"a\":1}");
  EXPECT_THROW(last_report_line(""), AgentOutputError);
  EXPECT_THROW(last_report_line("\n \n"), AgentOutputError);
}

TEST(CoreSwapOutcome, SucceedsOnlyWhenEveryExpectedBotSwappedOrWasUnchanged) {
  auto report = parse_swap_report(kSwap);
  const auto failed = swap_outcome(report, {539, 540, 541});
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(failed.kind, FailureKind::bot_failed);
  EXPECT_EQ(failed.reason, "bot541 rolled back: exited with code 1");

  // A single-bot deploy on that host only asked about bot539.
  EXPECT_TRUE(swap_outcome(report, {539}).ok());
  EXPECT_TRUE(swap_outcome(report, {539, 540}).ok());

  const auto missing = swap_outcome(report, {539, 542});
  EXPECT_EQ(missing.kind, FailureKind::bad_output);
  EXPECT_EQ(missing.reason, "bot542 missing from the agent's report");
}

TEST(CoreSwapOutcome, AgentErrorsAndOkFalseFail) {
  auto report = parse_swap_report(
      R"({"command":"swap","host":"h","ok":false,"bots":[],"error":"disk below 1 GiB after prune"})");
  const auto outcome = swap_outcome(report, {1});
  EXPECT_EQ(outcome.kind, FailureKind::agent_error);
  EXPECT_EQ(outcome.reason,
            "agent error: disk below 1 GiB after prune; bot1 missing from the agent's report");

  auto silent =
      parse_swap_report(R"({"command":"swap","ok":false,"bots":[{"bot":1,"outcome":"swapped"}]})");
  EXPECT_EQ(swap_outcome(silent, {1}).reason, "agent reported ok=false without a reason");
  EXPECT_EQ(swap_outcome(silent, {1}).kind, FailureKind::agent_error);

  auto failed = parse_swap_report(
      R"({"command":"swap","ok":false,"bots":[{"bot":1,"outcome":"failed"}],"error":"x"})");
  EXPECT_EQ(swap_outcome(failed, {1}).kind, FailureKind::bot_failed);
  EXPECT_EQ(swap_outcome(failed, {1}).reason, "agent error: x; bot1 failed");
}

}  // namespace
}  // namespace drover::core
