#include "util/subprocess.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace drover {
namespace {

TEST(PosixProcessRunner, CapturesOutputAndExitCode) {
  PosixProcessRunner runner;
  auto r = runner.run({"sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_FALSE(r.timed_out);
}

// The program waits for the file the callback creates on its first line: the line has to
// reach the caller while the program still runs, not when it ends.
TEST(PosixProcessRunner, StderrLinesReachTheCallerWhileTheProgramRuns) {
  PosixProcessRunner runner;
  const auto flag =
      std::filesystem::temp_directory_path() / ("drover-stderr-line-" + std::to_string(getpid()));
  std::filesystem::remove(flag);
  ProcessOptions options;
  options.timeout = std::chrono::seconds(20);  // a safety net: the test fails by timing out
  std::vector<std::string> lines;
  options.on_stderr_line = [&](std::string_view line) {
    lines.emplace_back(line);
    if (lines.size() == 1) std::ofstream(flag.string()) << "go";
  };
  auto r = runner.run({"sh", "-c",
                       "echo first >&2; echo out; while [ ! -e \"$1\" ]; do sleep 0.01; done; "
                       "printf 'second\\nthird' >&2",
                       "sh", flag.string()},
                      options);
  std::filesystem::remove(flag);
  EXPECT_FALSE(r.timed_out) << "the first line did not reach the callback while it ran";
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(lines, (std::vector<std::string>{"first", "second", "third"}));
  EXPECT_EQ(r.err, "first\nsecond\nthird");
  EXPECT_EQ(r.out, "out\n");
}

TEST(PosixProcessRunner, ArgumentsAreNeverInterpretedByAShell) {
  PosixProcessRunner runner;
  auto r = runner.run({"printf", "%s|", "$(id)", "a b;c", "`x`"});
  EXPECT_EQ(r.out, "$(id)|a b;c|`x`|");
}

TEST(PosixProcessRunner, FeedsStdinAndAddsEnvironment) {
  PosixProcessRunner runner;
  ProcessOptions options;
  options.stdin_data = "hello";
  options.extra_env["DROVER_TEST_VALUE"] = "42";
  auto r = runner.run({"sh", "-c", "cat; echo \" $DROVER_TEST_VALUE\""}, options);
  EXPECT_EQ(r.out, "hello 42\n");
}

TEST(PosixProcessRunner, KillsOnTimeout) {
  PosixProcessRunner runner;
  ProcessOptions options;
  options.timeout = std::chrono::milliseconds(200);
  auto r = runner.run({"sleep", "30"}, options);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.signal, SIGKILL);
}

TEST(PosixProcessRunner, AProgramThatWritesWithoutEndIsKilledAtTheOutputLimit) {
  PosixProcessRunner runner;
  ProcessOptions options;
  options.timeout = std::chrono::seconds(60);  // a safety net: the limit must end it first
  options.max_output_bytes = 1 << 20;
  auto r = runner.run({"yes", "drover"}, options);
  EXPECT_EQ(r.overflowed, "stdout");
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_EQ(r.out.size(), options.max_output_bytes);
  EXPECT_EQ(r.out.substr(0, 7), "drover\n");
}

TEST(PosixProcessRunner, TheLimitHoldsForStderrToo) {
  PosixProcessRunner runner;
  ProcessOptions options;
  options.timeout = std::chrono::seconds(60);
  options.max_output_bytes = 4096;
  auto r = runner.run({"sh", "-c", "echo report; yes noise >&2"}, options);
  EXPECT_EQ(r.overflowed, "stderr");
  EXPECT_EQ(r.err.size(), 4096u);
  EXPECT_EQ(r.out, "report\n");
}

TEST(PosixProcessRunner, OutputUpToTheLimitIsKeptWhole) {
  PosixProcessRunner runner;
  ProcessOptions options;
  options.max_output_bytes = 300000;
  auto r = runner.run({"head", "-c", "300000", "/dev/zero"}, options);
  EXPECT_TRUE(r.overflowed.empty());
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.size(), 300000u);
}

TEST(PosixProcessRunner, TheCallEndsWhenTheProgramExitsEvenIfAChildHoldsItsOutput) {
  PosixProcessRunner runner;
  ProcessOptions options;
  // Were the call to wait for the pipes to close, the child would hold it until this timeout.
  options.timeout = std::chrono::seconds(120);
  auto r = runner.run({"sh", "-c", "sleep 300 & echo \"child $!\"; echo report; exit 0"}, options);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 0);
  ASSERT_NE(r.out.find("report\n"), std::string::npos) << r.out;
  const auto child = std::stoi(r.out.substr(r.out.find("child ") + 6));
  EXPECT_EQ(kill(child, 0), 0) << "the child should still be running on its own";
  kill(child, SIGKILL);
}

TEST(PosixProcessRunner, AProgramThatClosesItsOutputStillTimesOut) {
  PosixProcessRunner runner;
  ProcessOptions options;
  options.timeout = std::chrono::milliseconds(300);
  auto r = runner.run({"sh", "-c", "exec >&- 2>&-; sleep 30"}, options);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.signal, SIGKILL);
}

TEST(PosixProcessRunner, MissingProgramThrows) {
  PosixProcessRunner runner;
  EXPECT_THROW(runner.run({"/nonexistent/drover-no-such-program"}), std::runtime_error);
}

}  // namespace
}  // namespace drover
