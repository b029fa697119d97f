// SshTransport against a recording ProcessRunner: what it asks ssh to run, and how it reads
// what ssh and the remote agent answered (scripted results, no ssh involved).
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/recording_runner.h"
#include "transport/ssh/ssh_result.h"
#include "transport/ssh/ssh_transport.h"
#include "util/sha256.h"

namespace drover::transport {
namespace {

using std::chrono::seconds;

using testing::RecordingRunner;

const core::Host kHost{
    "bot-host-17", "deploy@10.0.0.5:2222", {539, 540}, core::HostGroup::production};
const core::Host kNamedHost{"bot-host-18", std::nullopt, {541}, core::HostGroup::production};

ProcessResult exited(int code, std::string out, std::string err = {}) {
  ProcessResult p;
  p.exit_code = code;
  p.out = std::move(out);
  p.err = std::move(err);
  return p;
}

const std::string kReport = R"({"command":"swap","ok":true,"bots":[]})";
const std::string kProgress = "drover-agent: pulling 127.0.0.1:5000/bot:v2\n";

class TransportSsh : public ::testing::Test {
 protected:
  core::AgentResult run(ProcessResult answer, const core::Host& host = kHost) {
    runner.answers = {std::move(answer)};
    SshTransport transport({std::nullopt, 10, 60}, "/usr/local/bin/drover-agent", runner);
    return transport.run_agent(host, {{"swap", "--bots", "539,540"}, seconds(90)});
  }
  RecordingRunner runner;
};

TEST_F(TransportSsh, RunsOneRemoteCommandOverSshWithTheCallsTimeout) {
  auto result = run(exited(0, kReport + "\n", kProgress));
  ASSERT_TRUE(result.ok()) << result.detail;
  auto calls = runner.calls();
  ASSERT_GE(calls.size(), 1u);
  const auto& argv = calls[0].argv;
  ASSERT_GE(argv.size(), 4u);
  EXPECT_EQ(argv[0], "ssh");
  EXPECT_EQ((std::vector<std::string>(argv.end() - 7, argv.end())),
            (std::vector<std::string>{"-p", "2222", "-l", "deploy", "--", "10.0.0.5",
                                      "/usr/local/bin/drover-agent swap --bots 539,540"}));
  EXPECT_EQ(calls[0].options.timeout, std::chrono::milliseconds(90000));
  EXPECT_EQ(core::parsed_report(result)["command"], "swap");
}

TEST_F(TransportSsh, AHostWithoutAddressIsReachedByItsName) {
  run(exited(0, kReport), kNamedHost);
  auto argv = runner.calls().at(0).argv;
  EXPECT_EQ(argv[argv.size() - 2], "bot-host-18");
  EXPECT_EQ(argv[argv.size() - 3], "--");
}

TEST_F(TransportSsh, ControlSocketsLiveInAPrivateDirectoryClosedAndRemovedAtTheEnd) {
  runner.answers = {exited(0, kReport)};
  std::string dir;
  {
    SshTransport transport({std::nullopt, 10, 60}, "/a", runner);
    dir = transport.control_dir();
    ASSERT_TRUE(std::filesystem::is_directory(dir));
    auto perms = std::filesystem::status(dir).permissions();
    EXPECT_EQ(perms & std::filesystem::perms::all, std::filesystem::perms::owner_all);
    transport.run_agent(kHost, {{"version"}, seconds(5)});
    transport.run_agent(kHost, {{"version"}, seconds(5)});
    transport.run_agent(kNamedHost, {{"version"}, seconds(5)});
    auto argv = runner.calls().at(0).argv;
    EXPECT_NE(std::find(argv.begin(), argv.end(), "ControlPath=" + dir + "/%C"), argv.end());
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
  auto calls = runner.calls();
  ASSERT_EQ(calls.size(), 5u) << "three calls, then one -O exit per host";
  for (std::size_t i = 3; i < 5; ++i) {
    auto& argv = calls[i].argv;
    EXPECT_NE(std::find(argv.begin(), argv.end(), "-O"), argv.end());
    EXPECT_EQ(argv[argv.size() - 3], "exit");
  }
}

TEST_F(TransportSsh, AChangedHostKeyIsUnreachableNamingTheHostAndTheFix) {
  auto result = run(exited(255, "",
                           "@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n"
                           "Host key for [10.0.0.5]:2222 has changed and you have requested "
                           "strict checking.\nHost key verification failed.\n"));
  EXPECT_EQ(result.status, core::TransportStatus::unreachable);
  EXPECT_NE(result.detail.find("host key refused for bot-host-17 (deploy@10.0.0.5:2222)"),
            std::string::npos)
      << result.detail;
  EXPECT_NE(result.detail.find("ssh-keygen -R '[10.0.0.5]:2222'"), std::string::npos)
      << result.detail;
  EXPECT_NE(result.detail.find("rebuilt"), std::string::npos) << result.detail;
}

TEST_F(TransportSsh, AnUnknownHostKeyIsUnreachableAndSaysToAddIt) {
  auto result = run(exited(255, "",
                           "No ED25519 host key is known for [10.0.0.5]:2222 and you have "
                           "requested strict checking.\nHost key verification failed.\n"));
  EXPECT_EQ(result.status, core::TransportStatus::unreachable);
  EXPECT_NE(result.detail.find("no key for it is in known_hosts"), std::string::npos)
      << result.detail;
  EXPECT_NE(result.detail.find("bot-host-17"), std::string::npos) << result.detail;
}

TEST_F(TransportSsh, RefusedTimedOutOrUnauthenticatedConnectionsAreUnreachable) {
  for (const char* err : {"ssh: connect to host 10.0.0.5 port 2222: Connection refused\n",
                          "ssh: connect to host 10.0.0.5 port 2222: Connection timed out\n",
                          "deploy@10.0.0.5: Permission denied (publickey).\n"}) {
    auto result = run(exited(255, "", err));
    EXPECT_EQ(result.status, core::TransportStatus::unreachable) << err;
    std::string line(err);
    line.pop_back();
    EXPECT_EQ(result.detail, "cannot reach bot-host-17 (deploy@10.0.0.5:2222) over ssh: " + line);
  }
}

TEST_F(TransportSsh, AConnectionLostAfterTheAgentStartedIsAFailedAgentThatKeepsRunning) {
  auto result = run(exited(255, "",
                           kProgress + "drover-agent: bot539: stopping\n"
                                       "Connection to 10.0.0.5 closed by remote host.\n"));
  EXPECT_EQ(result.status, core::TransportStatus::agent_failed);
  EXPECT_NE(result.detail.find("lost while the agent ran"), std::string::npos) << result.detail;
  EXPECT_NE(result.detail.find("keeps running on the host"), std::string::npos) << result.detail;
  EXPECT_NE(result.detail.find("drover verify"), std::string::npos) << result.detail;
  EXPECT_NE(result.stderr_tail.find("bot539: stopping"), std::string::npos);
}

TEST_F(TransportSsh, AKilledSshClientIsAFailedAgentNotAnUnreachableHost) {
  ProcessResult killed;
  killed.signal = 9;
  killed.err = kProgress;
  auto result = run(killed);
  EXPECT_EQ(result.status, core::TransportStatus::agent_failed);
  EXPECT_NE(result.detail.find("keeps running on the host"), std::string::npos) << result.detail;

  ProcessResult timed_out;
  timed_out.signal = 9;
  timed_out.timed_out = true;
  result = run(timed_out);
  EXPECT_EQ(result.status, core::TransportStatus::timed_out);
  EXPECT_NE(result.detail.find("keeps running on the host"), std::string::npos) << result.detail;
}

TEST_F(TransportSsh, ANotFoundOrNotExecutableAgentIsMissingWithTheInstallHint) {
  for (int code : {126, 127}) {
    auto result =
        run(exited(code, "", "bash: /usr/local/bin/drover-agent: No such file or directory\n"));
    EXPECT_EQ(result.status, core::TransportStatus::agent_missing) << code;
    EXPECT_NE(result.detail.find("/usr/local/bin/drover-agent on bot-host-17"), std::string::npos)
        << result.detail;
    EXPECT_NE(result.detail.find("drover baseline --install-agent"), std::string::npos)
        << result.detail;
  }
}

TEST_F(TransportSsh, TheAgentsOwnExitsAreReadLikeEveryTransport) {
  EXPECT_EQ(run(exited(1, R"({"command":"swap","ok":false,"bots":[]})", kProgress)).status,
            core::TransportStatus::ok);
  auto cannot_run =
      run(exited(3, R"({"command":"swap","ok":false,"error":"docker unreachable"})", kProgress));
  EXPECT_EQ(cannot_run.status, core::TransportStatus::agent_failed);
  EXPECT_NE(cannot_run.detail.find("docker unreachable"), std::string::npos);
  EXPECT_EQ(run(exited(0, "motd says hi", kProgress)).status, core::TransportStatus::bad_output);
}

TEST_F(TransportSsh, NoSshClientIsUnreachable) {
  runner.cannot_start = true;
  auto result = run(exited(0, kReport));
  EXPECT_EQ(result.status, core::TransportStatus::unreachable);
  EXPECT_NE(result.detail.find("install the OpenSSH client"), std::string::npos);
}

TEST_F(TransportSsh, ABadAddressIsUnreachableWithoutRunningSsh) {
  core::Host bad = kHost;
  bad.address = "root@host:99999";
  auto result = run(exited(0, kReport), bad);
  EXPECT_EQ(result.status, core::TransportStatus::unreachable);
  EXPECT_TRUE(runner.calls().empty());
}

TEST(TransportSshResult, OnlyTheAgentsOwnLogLinesMeanItStarted) {
  EXPECT_TRUE(agent_started("drover-agent: recovering\n"));
  EXPECT_TRUE(agent_started("Warning: something\ndrover-agent: x"));
  EXPECT_FALSE(agent_started("bash: /usr/local/bin/drover-agent: No such file or directory\n"));
  EXPECT_FALSE(agent_started(""));
}

class TransportSshInstall : public ::testing::Test {
 protected:
  TransportSshInstall() {
    // A file of its own: ctest runs the tests of this fixture in parallel processes.
    std::string pattern =
        (std::filesystem::temp_directory_path() / "drover-ssh-install-test-XXXXXX").string();
    const int fd = mkstemp(pattern.data());
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    close(fd);
    binary_path = pattern;
    std::ofstream(binary_path) << "#!/bin/sh\necho agent\n";
    binary = {binary_path.string(), sha256_file_hex(binary_path.string()), ""};
  }
  ~TransportSshInstall() override { std::filesystem::remove(binary_path); }

  core::AgentResult install(std::vector<ProcessResult> answers) {
    runner.answers = std::move(answers);
    SshTransport transport({std::nullopt, 10, 60}, "/usr/local/bin/drover-agent", runner);
    return transport.install_agent(kHost, binary);
  }
  std::vector<std::string> remote_commands() const {
    std::vector<std::string> out;
    for (const auto& call : runner.calls()) {
      if (call.argv[call.argv.size() - 3] != "exit") out.push_back(call.argv.back());
    }
    return out;
  }

  std::filesystem::path binary_path;
  core::AgentBinary binary;
  RecordingRunner runner;
};

TEST_F(TransportSshInstall, StagesChecksTheSha256ThenRenamesAndRunsVersion) {
  const auto version = R"({"command":"version","sha256":")" + binary.sha256 + R"("})";
  auto result = install({exited(0, version), exited(0, ""), exited(0, version)});
  ASSERT_TRUE(result.ok()) << result.detail;
  auto commands = remote_commands();
  ASSERT_EQ(commands.size(), 3u);
  EXPECT_NE(commands[0].find("cat > /usr/local/bin/drover-agent.drover-new"), std::string::npos);
  EXPECT_NE(commands[1].find("mv -f"), std::string::npos);
  EXPECT_EQ(commands[2], "/usr/local/bin/drover-agent version");
  EXPECT_EQ(runner.calls()[0].options.stdin_data, "#!/bin/sh\necho agent\n");
}

TEST_F(TransportSshInstall, AWrongSha256RemovesTheStagedFileAndReplacesNothing) {
  auto result = install({exited(0, R"({"command":"version","sha256":"00"})"), exited(0, "")});
  EXPECT_EQ(result.status, core::TransportStatus::agent_failed);
  EXPECT_NE(result.detail.find("not the build drover carries"), std::string::npos) << result.detail;
  EXPECT_NE(result.detail.find("was not replaced"), std::string::npos) << result.detail;
  auto commands = remote_commands();
  ASSERT_EQ(commands.size(), 2u);
  EXPECT_NE(commands[1].find("rm -f"), std::string::npos);
}

TEST_F(TransportSshInstall, AnUnreachableHostIsReportedAsSuch) {
  auto result = install({exited(255, "", "ssh: connect to host 10.0.0.5 port 2222: No route\n")});
  EXPECT_EQ(result.status, core::TransportStatus::unreachable);
  EXPECT_EQ(remote_commands().size(), 1u);
}

}  // namespace
}  // namespace drover::transport
