// Installing the agent by URL through the ssm transport: the fake endpoint serves the build
// under /files/, the host (this machine, through SendCommand) downloads it, checks its sha256,
// renames it over a fresh agent path and runs `version`.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "cli/aws/connect.h"
#include "support/fake_aws.h"
#include "transport/ssm/ssm_transport.h"
#include "util/clock.h"
#include "util/http/curl_http_client.h"
#include "util/random.h"
#include "util/sha256.h"
#include "util/subprocess.h"

namespace drover::testing {
namespace {

namespace fs = std::filesystem;

class SsmInstallAgentIT : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "drover-ssm-install-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    fs::create_directories(dir_ / "files");
    fs::copy_file(DROVER_AGENT_BIN, dir_ / "files" / "drover-agent");
    sha256_ = sha256_file_hex(DROVER_AGENT_BIN);
    FakeAwsOptions options;
    options.files_dir = (dir_ / "files").string();
    options.fleet_json = R"({"instances":[{"id":"i-0d000000000e00001"}]})";
    aws_ = std::make_unique<FakeAws>(options);
    env_ = aws_->env();
    env_["AWS_EC2_METADATA_DISABLED"] = "true";
    env_["AWS_CONFIG_FILE"] = (dir_ / "none").string();
    env_["AWS_SHARED_CREDENTIALS_FILE"] = (dir_ / "none").string();
    auto env = env_;
    connect_ = cli::real_aws_connect(
        [env](const std::string& name) -> std::optional<std::string> {
          auto it = env.find(name);
          return it == env.end() ? std::nullopt : std::optional(it->second);
        },
        clock_, random_, runner_, http_);
    transport::SsmTransportOptions options_ssm;
    options_ssm.agent_path = (dir_ / "fresh dir" / "drover-agent").string();
    options_ssm.poll_interval = std::chrono::milliseconds(200);
    const auto apis = connect_(cli::AwsSettings{});
    transport_ = std::make_unique<transport::SsmTransport>(apis.ssm, clock_, interrupted_,
                                                           options_ssm, apis.ssm_pages());
  }
  void TearDown() override {
    transport_.reset();
    aws_.reset();
    fs::remove_all(dir_);
  }

  fs::path agent_path() const { return dir_ / "fresh dir" / "drover-agent"; }

  fs::path dir_;
  std::string sha256_;
  std::unique_ptr<FakeAws> aws_;
  std::map<std::string, std::string> env_;
  SteadyClock clock_;
  SystemRandom random_;
  PosixProcessRunner runner_;
  CurlHttpClient http_;
  std::atomic<bool> interrupted_{false};
  cli::AwsConnect connect_;
  std::unique_ptr<transport::SsmTransport> transport_;
  const core::Host host_{"host-1", "i-0d000000000e00001", {8761}, core::HostGroup::production};
};

TEST_F(SsmInstallAgentIT, DownloadsChecksAndRunsTheAgentAtAFreshPath) {
  ASSERT_FALSE(fs::exists(agent_path()));
  auto result = transport_->install_agent(
      host_, {DROVER_AGENT_BIN, sha256_, aws_->url() + "/files/drover-agent"});
  ASSERT_EQ(result.status, core::TransportStatus::ok) << result.detail << "\n"
                                                      << result.stderr_tail;
  EXPECT_EQ(core::parsed_report(result)["command"], "version");
  EXPECT_EQ(core::parsed_report(result)["sha256"], sha256_);
  EXPECT_EQ(sha256_file_hex(agent_path().string()), sha256_);
  EXPECT_FALSE(fs::exists(agent_path().string() + ".drover-new"));

  // The installed agent now answers run_agent like any other.
  auto version = transport_->run_agent(host_, {{"version"}, std::chrono::seconds(30)});
  EXPECT_EQ(version.status, core::TransportStatus::ok) << version.detail;
}

TEST_F(SsmInstallAgentIT, AWrongSha256IsRefusedAndReplacesNothing) {
  fs::create_directories(agent_path().parent_path());
  std::ofstream(agent_path()) << "#!/bin/sh\necho previous\n";
  fs::permissions(agent_path(), fs::perms(0755));

  auto result = transport_->install_agent(
      host_, {DROVER_AGENT_BIN, std::string(64, 'f'), aws_->url() + "/files/drover-agent"});

  EXPECT_EQ(result.status, core::TransportStatus::agent_failed);
  EXPECT_NE(result.detail.find("sha256"), std::string::npos) << result.detail;
  EXPECT_NE(result.detail.find("nothing was replaced"), std::string::npos) << result.detail;
  std::ifstream in(agent_path());
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "#!/bin/sh\necho previous\n");
  EXPECT_FALSE(fs::exists(agent_path().string() + ".drover-new"));
}

TEST_F(SsmInstallAgentIT, AMissingAgentIsAgentMissing) {
  auto result = transport_->run_agent(host_, {{"version"}, std::chrono::seconds(30)});
  EXPECT_EQ(result.status, core::TransportStatus::agent_missing) << result.detail;
  EXPECT_NE(result.detail.find("--install-agent"), std::string::npos) << result.detail;
}

}  // namespace
}  // namespace drover::testing
