#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/transport.h"
#include "support/recording_runner.h"
#include "support/temp_dir.h"
#include "transport/local/local_agent_path.h"
#include "transport/local/local_transport.h"

namespace drover::transport {
namespace {

using std::chrono::seconds;

using testing::RecordingRunner;

const core::Host kHost{"host-1", std::nullopt, {539, 540}, core::HostGroup::production};

ProcessResult exited(int code, std::string out, std::string err = {}) {
  ProcessResult p;
  p.exit_code = code;
  p.out = std::move(out);
  p.err = std::move(err);
  return p;
}

// Issue 11, point 6: drover's own shortage is said as such, never as a host problem.
TEST(TransportLocal, RunningOutOfDescriptorsIsOutOfResourcesNotAMissingAgent) {
  RecordingRunner runner;
  runner.out_of_descriptors = true;
  LocalTransport transport("/opt/drover/drover-agent", runner);
  auto result = transport.run_agent(kHost, {{"version"}, seconds(5)});
  EXPECT_EQ(result.status, core::TransportStatus::out_of_resources);
  EXPECT_NE(result.detail.find("Too many open files"), std::string::npos) << result.detail;
  EXPECT_NE(result.detail.find("nothing ran on the host"), std::string::npos) << result.detail;
  EXPECT_EQ(result.detail.find("agent_path"), std::string::npos) << result.detail;
  EXPECT_EQ(core::failure_kind(result.status), core::FailureKind::agent_error);
}

TEST(TransportLocal, EachLogicalHostGetsItsOwnAgentSwapLock) {
  RecordingRunner runner;
  LocalTransport transport("/opt/drover/drover-agent", runner, "/run/lock/drover-agent.prod");
  transport.run_agent(kHost, {{"version"}, seconds(5)});
  transport.run_agent({"web/2 x", std::nullopt, {541}, core::HostGroup::production},
                      {{"version"}, seconds(5)});
  const auto calls = runner.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].options.extra_env.at("DROVER_AGENT_LOCK"),
            "/run/lock/drover-agent.prod.host-1.lock");
  EXPECT_EQ(calls[1].options.extra_env.at("DROVER_AGENT_LOCK"),
            "/run/lock/drover-agent.prod.web_2_x.lock");
}

TEST(TransportLocal, RunsTheAgentWithItsArgumentsAsArgvAndTheCallsTimeout) {
  RecordingRunner runner;
  runner.answers[0] = exited(0, R"({"command":"status","ok":true,"bots":[]})"
                                "\n");
  LocalTransport transport("/opt/drover/drover-agent", runner);
  core::AgentCall call{{"status", "--bots", "539,540", "--expect-image", "r/x@sha256:ab; rm -rf /"},
                       seconds(42)};
  auto result = transport.run_agent(kHost, call);

  const auto calls = runner.calls();
  ASSERT_EQ(calls.size(), 1u);
  const auto& ran = calls[0];
  EXPECT_EQ(ran.argv,
            (std::vector<std::string>{"/opt/drover/drover-agent", "status", "--bots", "539,540",
                                      "--expect-image", "r/x@sha256:ab; rm -rf /"}));
  ASSERT_TRUE(ran.options.timeout.has_value());
  EXPECT_EQ(*ran.options.timeout, std::chrono::milliseconds(42'000));
  EXPECT_TRUE(ran.options.extra_env.empty());
  EXPECT_TRUE(ran.options.stdin_data.empty());

  EXPECT_EQ(result.status, core::TransportStatus::ok);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(core::parsed_report(result)["command"], "status");
  EXPECT_TRUE(result.detail.empty());
}

TEST(TransportLocal, DoesNotTellTheAgentWhichLogicalHostItIs) {
  RecordingRunner runner;
  runner.answers[0] = exited(0, R"({"ok":true})");
  LocalTransport transport("drover-agent", runner);
  transport.run_agent(kHost, {{"version"}, seconds(5)});
  EXPECT_EQ(runner.calls()[0].argv, (std::vector<std::string>{"drover-agent", "version"}));
}

TEST(TransportLocal, ExitOneWithAReportIsOkBecauseTheReportSaysWhichBotsRolledBack) {
  RecordingRunner runner;
  runner.answers[0] = exited(1,
                             "progress\n"
                             R"({"command":"swap","ok":false,"bots":[]})"
                             "\n",
                             "bot539: rolled back\n");
  LocalTransport transport("drover-agent", runner);
  auto result = transport.run_agent(kHost, {{"swap"}, seconds(60)});
  EXPECT_EQ(result.status, core::TransportStatus::ok);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(core::parsed_report(result)["ok"], false);
  EXPECT_EQ(result.stderr_tail, "bot539: rolled back");
}

TEST(TransportLocal, AnAgentThatCannotBeStartedIsMissing) {
  RecordingRunner runner;
  runner.cannot_start = true;
  LocalTransport transport("/nowhere/drover-agent", runner);
  auto result = transport.run_agent(kHost, {{"version"}, seconds(5)});
  EXPECT_EQ(result.status, core::TransportStatus::agent_missing);
  EXPECT_EQ(result.exit_code, -1);
  EXPECT_TRUE(result.report_line.empty());
  EXPECT_NE(result.detail.find("/nowhere/drover-agent"), std::string::npos) << result.detail;
  EXPECT_NE(result.detail.find("host-1"), std::string::npos) << result.detail;
  EXPECT_NE(result.detail.find("agent_path"), std::string::npos) << result.detail;
  EXPECT_EQ(core::failure_kind(result.status), core::FailureKind::unreachable);
}

TEST(TransportLocal, AKilledByTimeoutAgentIsTimedOut) {
  RecordingRunner runner;
  runner.answers[0].timed_out = true;
  runner.answers[0].signal = 9;
  runner.answers[0].err = "bot539: stopping\n";
  LocalTransport transport("drover-agent", runner);
  auto result = transport.run_agent(kHost, {{"swap"}, seconds(7)});
  EXPECT_EQ(result.status, core::TransportStatus::timed_out);
  EXPECT_EQ(result.exit_code, -1);
  EXPECT_NE(result.detail.find("7s"), std::string::npos) << result.detail;
  EXPECT_EQ(result.stderr_tail, "bot539: stopping");
  EXPECT_EQ(core::failure_kind(result.status), core::FailureKind::timed_out);
}

TEST(TransportLocal, ExitTwoOrThreeIsAgentFailedWithTheReportsError) {
  RecordingRunner runner;
  runner.answers[0] =
      exited(3, R"({"command":"swap","ok":false,"bots":[],"error":"docker engine unreachable"})");
  LocalTransport transport("drover-agent", runner);
  auto result = transport.run_agent(kHost, {{"swap"}, seconds(7)});
  EXPECT_EQ(result.status, core::TransportStatus::agent_failed);
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(core::parsed_report(result)["error"], "docker engine unreachable");
  EXPECT_EQ(result.detail, "the agent could not run (exit 3): docker engine unreachable");
  EXPECT_EQ(core::failure_kind(result.status), core::FailureKind::agent_error);

  runner.answers[0] = exited(2, R"({"ok":false,"error":"--bots: 'x' is not a number"})");
  result = transport.run_agent(kHost, {{"swap"}, seconds(7)});
  EXPECT_EQ(result.status, core::TransportStatus::agent_failed);
  EXPECT_EQ(result.detail, "the agent refused its arguments (exit 2): --bots: 'x' is not a number");
}

TEST(TransportLocal, AMissingOrUnparseableLastLineIsBadOutput) {
  RecordingRunner runner;
  LocalTransport transport("drover-agent", runner);
  runner.answers[0] = exited(0, "");
  auto result = transport.run_agent(kHost, {{"status"}, seconds(7)});
  EXPECT_EQ(result.status, core::TransportStatus::bad_output);
  EXPECT_NE(result.detail.find("printed nothing on stdout"), std::string::npos) << result.detail;
  EXPECT_EQ(core::failure_kind(result.status), core::FailureKind::bad_output);

  runner.answers[0] = exited(0, "{\"ok\":true}\nSegmentation fault?\n");
  result = transport.run_agent(kHost, {{"status"}, seconds(7)});
  EXPECT_EQ(result.status, core::TransportStatus::bad_output);
  EXPECT_TRUE(result.report_line.empty());
  EXPECT_NE(result.detail.find("'Segmentation fault?'"), std::string::npos) << result.detail;
}

TEST(TransportLocal, ANonPositiveTimeoutIsTheCallersBug) {
  RecordingRunner runner;
  LocalTransport transport("drover-agent", runner);
  EXPECT_THROW(transport.run_agent(kHost, {{"status"}, seconds(0)}), std::invalid_argument);
  EXPECT_TRUE(runner.calls().empty());
}

TEST(TransportLocal, ManyThreadsMayRunAgentsAtOnce) {
  RecordingRunner runner;
  runner.answers[0] = exited(0, R"({"ok":true})");
  LocalTransport transport("drover-agent", runner);
  std::vector<std::thread> threads;
  std::vector<core::TransportStatus> statuses(16);
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    threads.emplace_back([&, i] {
      core::Host host{"host-" + std::to_string(i),
                      std::nullopt,
                      {static_cast<int>(i) + 1},
                      core::HostGroup::production};
      statuses[i] =
          transport.run_agent(host, {{"status", "--bots", std::to_string(i + 1)}, seconds(5)})
              .status;
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(runner.calls().size(), statuses.size());
  for (auto s : statuses) {
    EXPECT_EQ(s, core::TransportStatus::ok);
  }
}

TEST(TransportLocal, TheDefaultAgentLivesNextToDrover) {
  EXPECT_EQ(agent_beside("/usr/local/bin/drover"), "/usr/local/bin/drover-agent");
  EXPECT_EQ(agent_beside("/work/build/drover"), "/work/build/drover-agent");
  auto here = agent_beside_this_program();
  EXPECT_TRUE(here.ends_with("/drover-agent")) << here;
}

// An executable shell script standing in for drover-agent.
std::string script_agent(const testing::TempDir& dir, const std::string& body) {
  const auto path = dir.path() / "drover-agent";
  std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
  ::chmod(path.c_str(), 0755);
  return path.string();
}

TEST(TransportLocal, TheCallEndsWhenTheAgentExitsThoughItsChildHoldsStdout) {
  testing::TempDir dir;
  PosixProcessRunner runner;
  // The child keeps the agent's stdout open for 300 s; the call must not wait for it.
  LocalTransport transport(
      script_agent(dir, "sleep 300 &\necho \"child $!\" >&2\necho '{\"ok\":true}'\nexit 0"),
      runner);
  auto result = transport.run_agent(kHost, {{"status"}, seconds(120)});
  EXPECT_EQ(result.status, core::TransportStatus::ok) << result.detail;
  EXPECT_EQ(core::parsed_report(result)["ok"], true);
  const auto at = result.stderr_tail.find("child ");
  ASSERT_NE(at, std::string::npos) << result.stderr_tail;
  ::kill(std::stoi(result.stderr_tail.substr(at + 6)), SIGKILL);
}

TEST(TransportLocal, AnAgentThatPrintsWithoutEndIsBadOutputAndIsEnded) {
  testing::TempDir dir;
  PosixProcessRunner runner;
  LocalTransport transport(script_agent(dir, "exec yes '{\"ok\":true}'"), runner);
  auto result = transport.run_agent(kHost, {{"swap"}, seconds(600)});
  EXPECT_EQ(result.status, core::TransportStatus::bad_output);
  EXPECT_TRUE(result.report_line.empty());
  EXPECT_NE(result.detail.find("more than 2 MiB to stdout and was stopped"), std::string::npos)
      << result.detail;
  EXPECT_EQ(core::failure_kind(result.status), core::FailureKind::bad_output);
}

TEST(TransportStatusNames, AreTheJournalsSpelling) {
  EXPECT_EQ(core::to_string(core::TransportStatus::ok), "ok");
  EXPECT_EQ(core::to_string(core::TransportStatus::unreachable), "unreachable");
  EXPECT_EQ(core::to_string(core::TransportStatus::agent_missing), "agent_missing");
  EXPECT_EQ(core::to_string(core::TransportStatus::timed_out), "timed_out");
  EXPECT_EQ(core::to_string(core::TransportStatus::agent_failed), "agent_failed");
  EXPECT_EQ(core::to_string(core::TransportStatus::bad_output), "bad_output");
  EXPECT_EQ(core::failure_kind(core::TransportStatus::ok), core::FailureKind::none);
}

}  // namespace
}  // namespace drover::transport
