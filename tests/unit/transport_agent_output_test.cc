#include <gtest/gtest.h>

#include <string>

#include "transport/agent_output.h"

namespace drover::transport {
namespace {

using std::chrono::seconds;

ProcessResult process(int code, std::string out, std::string err = {}) {
  ProcessResult p;
  p.exit_code = code;
  p.out = std::move(out);
  p.err = std::move(err);
  return p;
}

TEST(TransportAgentOutput, TheReportIsTheLastNonBlankLine) {
  auto result = interpret_agent_process(
      process(0, "a log line\n{\"old\":true}\n{\"command\":\"version\",\"ok\":true}\n\n  \n"),
      seconds(5));
  EXPECT_EQ(result.status, core::TransportStatus::ok);
  EXPECT_EQ(core::parsed_report(result)["command"], "version");
}

TEST(TransportAgentOutput, AJsonValueThatIsNotAnObjectIsBadOutput) {
  auto result = interpret_agent_process(process(0, "42\n"), seconds(5));
  EXPECT_EQ(result.status, core::TransportStatus::bad_output);
  EXPECT_EQ(result.detail, "the agent exited 0 but printed '42' last, which is not a JSON report");
}

TEST(TransportAgentOutput, GarbageIsQuotedPrintablyAndShort) {
  std::string junk = "\x1b[31mred\t" + std::string(300, 'x');
  auto result = interpret_agent_process(process(1, junk), seconds(5));
  EXPECT_EQ(result.status, core::TransportStatus::bad_output);
  EXPECT_EQ(result.detail.find('\x1b'), std::string::npos) << result.detail;
  EXPECT_NE(result.detail.find("\\x1b[31mred\\t"), std::string::npos) << result.detail;
  EXPECT_NE(result.detail.find("...'"), std::string::npos) << result.detail;
  EXPECT_LT(result.detail.size(), 250u);
}

TEST(TransportAgentOutput, ASignalThatIsNotOurTimeoutIsAgentFailed) {
  ProcessResult p;
  p.signal = 11;
  p.out = "{\"ok\":true}\n";
  auto result = interpret_agent_process(p, seconds(5));
  EXPECT_EQ(result.status, core::TransportStatus::agent_failed);
  EXPECT_EQ(result.exit_code, -1);
  EXPECT_EQ(result.detail, "the agent was killed by signal 11 (SIGSEGV)");
  EXPECT_EQ(core::parsed_report(result)["ok"], true);  // kept for the journal, whatever it is worth
}

TEST(TransportAgentOutput, AFailureWithoutAReportUsesTheLastStderrLine) {
  auto result =
      interpret_agent_process(process(3, "", "starting\nerror: cannot reach docker\n"), seconds(5));
  EXPECT_EQ(result.status, core::TransportStatus::agent_failed);
  EXPECT_TRUE(result.report_line.empty());
  EXPECT_EQ(result.detail, "the agent could not run (exit 3): error: cannot reach docker");

  result = interpret_agent_process(process(127, "", ""), seconds(5));
  EXPECT_EQ(result.detail, "the agent exited with 127");
}

TEST(TransportAgentOutput, TheStderrTailKeepsTheLastTwentyLines) {
  std::string err;
  for (int i = 1; i <= 30; ++i) {
    err += "line " + std::to_string(i) + "\n";
  }
  auto result = interpret_agent_process(process(0, "{}", err), seconds(5));
  EXPECT_EQ(result.stderr_tail.substr(0, 8), "line 11\n");
  EXPECT_TRUE(result.stderr_tail.ends_with("line 30"));

  EXPECT_EQ(tail_lines("a\nb\nc", 2), "b\nc");
  EXPECT_EQ(tail_lines("a\nb\nc\n\n", 1), "c");
  EXPECT_EQ(tail_lines("only", 5), "only");
  EXPECT_EQ(tail_lines("", 5), "");
  EXPECT_EQ(tail_lines("a\nb", 0), "");
  EXPECT_EQ(tail_lines(std::string(10000, 'x'), 20).size(), kStderrTailBytes);
}

}  // namespace
}  // namespace drover::transport
