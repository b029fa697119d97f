#include "util/subprocess.h"

#include <gtest/gtest.h>

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

TEST(PosixProcessRunner, MissingProgramThrows) {
  PosixProcessRunner runner;
  EXPECT_THROW(runner.run({"/nonexistent/drover-no-such-program"}), std::runtime_error);
}

}  // namespace
}  // namespace drover
