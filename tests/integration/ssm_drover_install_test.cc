// `drover baseline --install-agent` with transport = "ssm": the operator's command, end to end.
// The hosts download the agent from [aws] agent_url (served by the fake endpoint under /files/),
// and the drift guard then finds every host on this drover's build.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "support/ssm_world.h"
#include "util/sha256.h"
#include "util/subprocess.h"

namespace drover::testing {
namespace {

namespace fs = std::filesystem;

TEST(SsmDroverInstallIT, BaselineInstallAgentDownloadsThisBuildThenDriftIsClean) {
  std::string pattern = (fs::temp_directory_path() / "drover-ssm-drover-install-XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  const fs::path dir = pattern;
  fs::create_directories(dir / "files");
  fs::copy_file(DROVER_AGENT_BIN, dir / "files" / "drover-agent");
  const auto agent = dir / "hosts" / "drover-agent";  // not there yet: every host lacks it

  SsmWorldOptions options;
  options.files_dir = (dir / "files").string();
  SsmWorld world(DROVER_BIN, agent.string(), "ssm-drover-install",
                 {{{"host-1", {8765}}}, {{"host-2", {8766}}}}, options);
  // The URL is known once the endpoint listens: the config gets it then.
  auto text = world.config_text();
  const auto aws_table = text.find("[aws]\n");
  ASSERT_NE(aws_table, std::string::npos) << text;
  text.insert(aws_table + 6, "agent_url = \"" + world.aws().url() + "/files/drover-agent\"\n");
  const auto config = world.fleet().write_file("drover-ssm-url.toml", text);
  auto drover = [&](const std::vector<std::string>& args) {
    ProcessOptions run;
    run.timeout = std::chrono::minutes(5);
    run.extra_env = world.env();
    auto result = PosixProcessRunner().run(world.fleet().argv(args, config), run);
    return DroverRun{result.exit_code, result.out, result.err};
  };

  auto before = drover({"drift"});
  EXPECT_EQ(before.exit_code, 8) << before.all();
  EXPECT_NE(before.out.find("host-1"), std::string::npos) << before.out;
  EXPECT_NE(before.out.find("host-2"), std::string::npos) << before.out;

  // The baseline itself checks this machine's real /etc, which a test cannot promise is
  // clean: what this test holds to is the install and the drift check after it.
  auto installed = drover({"baseline", "--install-agent"});
  EXPECT_TRUE(installed.exit_code == 0 || installed.exit_code == 8) << installed.all();
  ASSERT_TRUE(fs::exists(agent)) << installed.all();
  EXPECT_EQ(sha256_file_hex(agent.string()), sha256_file_hex(DROVER_AGENT_BIN));
  EXPECT_FALSE(fs::exists(agent.string() + ".drover-new"));

  auto after = drover({"drift"});
  EXPECT_EQ(after.exit_code, 0) << after.all();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace drover::testing
