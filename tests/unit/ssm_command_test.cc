// The SendCommand requests (transport/ssm/ssm_command.h): hostile arguments reach the agent
// exactly as argv through /bin/sh, and the install script checks the sha256 before replacing.
#include "transport/ssm/ssm_command.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "util/sha256.h"
#include "util/subprocess.h"

namespace drover::transport {
namespace {

namespace fs = std::filesystem;

ProcessResult sh(const std::vector<std::string>& lines) {
  std::string script;
  for (const auto& line : lines) script += line + "\n";
  PosixProcessRunner runner;
  return runner.run({"/bin/sh", "-c", script});
}

TEST(SsmCommand, SendCommandInputFollowsTheModel) {
  auto input = send_command_input({"i-0123456789abcdef0"}, {"echo hi"}, std::chrono::seconds(600),
                                  std::string(150, 'c'));
  EXPECT_EQ(input["DocumentName"], "AWS-RunShellScript");
  EXPECT_EQ(input["InstanceIds"], nlohmann::json::array({"i-0123456789abcdef0"}));
  EXPECT_EQ(input["TimeoutSeconds"], 600);
  EXPECT_EQ(input["Parameters"]["commands"], nlohmann::json::array({"echo hi"}));
  EXPECT_EQ(input["Parameters"]["executionTimeout"], nlohmann::json::array({"600"}));
  EXPECT_EQ(input["Comment"].get<std::string>().size(), 100u);
  // SSM refuses a delivery timeout under 30 s; the execution timeout stays the call's.
  auto quick = send_command_input({"i-0123456789abcdef0"}, {"x"}, std::chrono::seconds(5), "");
  EXPECT_EQ(quick["TimeoutSeconds"], 30);
  EXPECT_EQ(quick["Parameters"]["executionTimeout"], nlohmann::json::array({"5"}));
}

TEST(SsmCommand, HostileArgumentsArriveAsTheirOwnWords) {
  const std::vector<std::string> args{"swap",        "a b",  "$(touch /tmp/drover-pwned)",
                                      "`id`",        "it's", "\"q\"",
                                      "x;y|z&",      "*",    "",
                                      "line\nbreak", "-n"};
  auto line = agent_command_line("/usr/bin/printf", {"[%s]"});
  std::vector<std::string> with_format{"[%s]"};
  with_format.insert(with_format.end(), args.begin(), args.end());
  auto result = sh({agent_command_line("/usr/bin/printf", with_format)});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::string expected;
  for (const auto& arg : args) expected += "[" + arg + "]";
  EXPECT_EQ(result.out, expected);
  EXPECT_FALSE(fs::exists("/tmp/drover-pwned"));
  EXPECT_EQ(line, "/usr/bin/printf '[%s]'");
}

class InstallScript : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "drover-install-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    // A stand-in agent: `version` prints a one-line JSON report.
    // URLs carry no raw spaces; the target path below does, and must survive the shell.
    source_ = dir_ / "published-agent";
    std::ofstream(source_) << "#!/bin/sh\necho '{\"command\":\"version\",\"new\":true}'\n";
    target_ = dir_ / "bin dir" / "drover-agent";
    fs::create_directories(target_.parent_path());
    std::ofstream(target_) << "#!/bin/sh\necho old\n";
    fs::permissions(target_, fs::perms(0755));
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string url() const { return "file://" + source_.string(); }
  std::string target_text() const {
    std::ifstream in(target_);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  fs::path dir_, source_, target_;
};

TEST_F(InstallScript, DownloadsChecksRenamesAndRunsVersion) {
  auto result =
      sh(install_agent_script(url(), sha256_file_hex(source_.string()), target_.string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "{\"command\":\"version\",\"new\":true}\n");
  EXPECT_NE(target_text().find("\"new\":true"), std::string::npos);
  EXPECT_FALSE(fs::exists(target_.string() + ".drover-new"));
}

TEST_F(InstallScript, AWrongChecksumReplacesNothing) {
  auto result = sh(install_agent_script(url(), std::string(64, '0'), target_.string()));
  EXPECT_EQ(result.exit_code, kInstallChecksumMismatch) << result.err;
  EXPECT_NE(result.err.find("nothing was replaced"), std::string::npos) << result.err;
  EXPECT_EQ(target_text(), "#!/bin/sh\necho old\n");
  EXPECT_FALSE(fs::exists(target_.string() + ".drover-new"));
}

TEST_F(InstallScript, AFailedDownloadReplacesNothing) {
  auto result =
      sh(install_agent_script("file:///nonexistent/agent", std::string(64, '0'), target_.string()));
  EXPECT_EQ(result.exit_code, kInstallDownloadFailed) << result.err;
  EXPECT_EQ(target_text(), "#!/bin/sh\necho old\n");
}

TEST_F(InstallScript, HostileUrlAndPathStayWords) {
  auto script = install_agent_script("file:///x'; touch /tmp/drover-pwned2; '",
                                     "$(touch /tmp/drover-pwned3)", target_.string());
  auto result = sh(script);
  EXPECT_NE(result.exit_code, 0);
  EXPECT_FALSE(fs::exists("/tmp/drover-pwned2"));
  EXPECT_FALSE(fs::exists("/tmp/drover-pwned3"));
}

}  // namespace
}  // namespace drover::transport
