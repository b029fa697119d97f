// Versions come from CMakeLists.txt's project(VERSION) through the generated build header, and
// both programs answer --version with the version and the build they are.
#include <gtest/gtest.h>

#include <regex>

#include "util/build_info.h"
#include "util/sha256.h"
#include "util/subprocess.h"

namespace drover {
namespace {

TEST(BuildInfo, VersionIsTheProjectVersionAndTheBuildIsACommit) {
  EXPECT_EQ(build_version(), DROVER_PROJECT_VERSION);
  EXPECT_TRUE(std::regex_match(std::string(build_commit()), std::regex("[0-9a-f]{12}|unknown")))
      << build_commit();
  EXPECT_EQ(version_line("drover", build_commit()), std::string("drover ") +
                                                        DROVER_PROJECT_VERSION + " (build " +
                                                        std::string(build_commit()) + ")");
}

TEST(BuildInfo, BothProgramsPrintTheirVersionAndBuild) {
  PosixProcessRunner runner;
  // drover names its commit; the agent its own sha256 (what the drift guard compares).
  const std::string agent_build = sha256_file_hex(DROVER_AGENT_BIN).substr(0, 12);
  const std::tuple<const char*, const char*, std::string> programs[] = {
      {DROVER_BIN, "drover", std::string(build_commit())},
      {DROVER_AGENT_BIN, "drover-agent", agent_build}};
  for (const auto& [path, name, build] : programs) {
    SCOPED_TRACE(path);
    ProcessOptions options;
    options.timeout = std::chrono::seconds(30);
    const auto result = runner.run({path, "--version"}, options);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.out, version_line(name, build) + "\n");
  }
}

}  // namespace
}  // namespace drover
