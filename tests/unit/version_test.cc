// Versions come from CMakeLists.txt's project(VERSION) through the generated build header, and
// both programs answer --version with the version and the build they are.
#include <gtest/gtest.h>

#include <regex>

#include "util/build_info.h"
#include "util/subprocess.h"

namespace drover {
namespace {

TEST(BuildInfo, VersionIsTheProjectVersionAndTheBuildIsACommit) {
  EXPECT_EQ(build_version(), DROVER_PROJECT_VERSION);
  EXPECT_TRUE(std::regex_match(std::string(build_commit()), std::regex("[0-9a-f]{12}|unknown")))
      << build_commit();
  EXPECT_EQ(version_line("drover"), std::string("drover ") + DROVER_PROJECT_VERSION + " (build " +
                                        std::string(build_commit()) + ")");
}

TEST(BuildInfo, BothProgramsPrintTheirVersionAndBuild) {
  PosixProcessRunner runner;
  const std::pair<const char*, const char*> programs[] = {{DROVER_BIN, "drover"},
                                                          {DROVER_AGENT_BIN, "drover-agent"}};
  for (const auto& [path, name] : programs) {
    SCOPED_TRACE(path);
    ProcessOptions options;
    options.timeout = std::chrono::seconds(30);
    const auto result = runner.run({path, "--version"}, options);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.out, version_line(name) + "\n");
  }
}

}  // namespace
}  // namespace drover
