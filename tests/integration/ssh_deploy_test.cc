// drover over the ssh transport end to end: real sshd servers on loopback ports (one per
// logical host, each with its own host key), the real drover and drover-agent binaries, bots on
// the local Docker engine. Bot ids 8300-8349, and 9026-9027 (the live view's steps).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/drover_fleet.h"
#include "support/pty_session.h"
#include "support/sshd_fleet.h"
#include "support/test_env.h"

namespace drover::testing {
namespace {

std::vector<std::string> names_of(const std::vector<HostSpec>& hosts) {
  std::vector<std::string> names;
  for (const auto& host : hosts) names.push_back(host.name);
  return names;
}

// The fleet's bots on the local engine, one sshd per host with the agent installed, and a
// drover.toml that reaches every host over ssh.
struct SshWorld {
  SshWorld(const std::string& name, std::vector<HostSpec> hosts,
           const std::string& speeds = kQuickSpeeds)
      : fleet(DROVER_BIN, name, hosts, speeds), sshd(names_of(hosts)) {
    for (const auto& host : hosts) sshd.install_agent(host.name, DROVER_AGENT_BIN);
    config = fleet.write_file("drover-ssh.toml", ssh_toml(fleet.config_text(), sshd));
  }
  DroverRun drover(const std::vector<std::string>& args) const {
    return fleet.drover(args, config);
  }

  DroverFleet fleet;
  SshdFleet sshd;
  std::string config;
};

// The "result" event of a --json run.
nlohmann::json result_event(const std::string& output) {
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.starts_with('{')) continue;
    auto event = nlohmann::json::parse(line, nullptr, false);
    if (!event.is_discarded() && event.value("event", "") == "result") return event["result"];
  }
  return nullptr;
}

TEST(SshDeployIT, AFleetDeployOverSshMovesEveryBotToV2) {
  SshWorld world("e2e-ssh-fleet",
                 {{"host-1", {8301, 8302}}, {"host-2", {8303, 8304}}, {"host-3", {8305, 8306}}});
  world.fleet.run_all("v1");
  auto before = world.fleet.snapshot();

  auto run = world.drover({"deploy", "all", "routine", "v2", "-y", "--straggler-wait", "3"});

  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  for (int id : world.fleet.all_bots()) {
    EXPECT_EQ(world.fleet.version(id), "v2") << "bot" << id;
    EXPECT_TRUE(world.fleet.bot(id).state.running) << "bot" << id;
    EXPECT_NE(world.fleet.bot(id).id, before[id].id) << "bot" << id << " kept its container";
    EXPECT_FALSE(world.fleet.has_prev(id)) << "bot" << id << "-prev left behind";
  }
  EXPECT_EQ(
      first_missing(run.out, {"host-1: ok", "host-2: ok", "host-3: ok",
                              "--- result: Success (3/3, 0 errors)", "on deployed version : 6/6"}),
      "")
      << run.out << run.err;

  auto verify = world.drover({"verify", "all", "v2", "--straggler-wait", "3"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("on deployed version : 6/6"), std::string::npos) << verify.out;
}

// Issue 14, point 4: the ssh transport streams the agent's steps as it passes them (its
// `drover-agent: step:` lines on stderr, read through the ssh session while the swap runs),
// so the live view and --json see each host's pull, stop, start and settle. Bot ids 9026-9027.
TEST(SshDeployIT, EachHostsStepsStreamThroughTheSshSession) {
  SshWorld world("e2e-ssh-steps", {{"host-1", {9026}}, {"host-2", {9027}}});
  world.fleet.run_all("v1");
  auto run =
      world.drover({"deploy", "all", "routine", "v2", "-y", "--json", "--straggler-wait", "3"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  std::map<std::string, std::vector<std::string>> steps;
  std::map<std::string, std::size_t> finished_at;  // event index of each host's finish
  std::map<std::string, std::size_t> last_step_at;
  std::istringstream lines(run.out);
  std::size_t index = 0;
  for (std::string line; std::getline(lines, line); ++index) {
    auto event = nlohmann::json::parse(line);
    if (event["event"] == "host_step") {
      const auto host = event["host"].get<std::string>();
      steps[host].push_back(event["step"].get<std::string>());
      last_step_at[host] = index;
    } else if (event["event"] == "host_finished") {
      finished_at[event["record"]["host"].get<std::string>()] = index;
    }
  }
  for (const auto* host : {"host-1", "host-2"}) {
    const auto& seen = steps[host];
    for (const auto* step : {"pull", "stop", "start", "settle"}) {
      EXPECT_NE(std::find(seen.begin(), seen.end(), step), seen.end())
          << host << " never reported " << step << " over ssh:\n"
          << run.out;
    }
    ASSERT_TRUE(finished_at.count(host)) << run.out;
    EXPECT_LT(last_step_at[host], finished_at[host])
        << host << ": steps arrive while the swap runs, before the host's finish\n"
        << run.out;
  }
  for (int id : world.fleet.all_bots()) EXPECT_EQ(world.fleet.version(id), "v2") << "bot" << id;
}

// One host at a time; one failed host of three is tolerated (50 % of 3 = 1), so the rollout
// goes on past it.
constexpr const char* kOneAtATimeTolerateOne = R"([speeds.routine]
concurrency = 1
halt_percent = 50
stop_timeout = 5
settle = 2
login_wait = 10
)";

TEST(SshDeployIT, AHostWhoseSshdStopsMidRolloutFailsAndTheOthersComplete) {
  SshWorld world("e2e-ssh-stop",
                 {{"host-1", {8311, 8312}}, {"host-2", {8313, 8314}}, {"host-3", {8315, 8316}}},
                 kOneAtATimeTolerateOne);
  world.fleet.run_all("v1");
  auto before = world.fleet.snapshot();

  LiveProcess deploy(
      LiveProcess::Mode::pipes,
      world.fleet.argv({"deploy", "all", "routine", "v2", "-y", "--json", "--straggler-wait", "3"},
                       world.config),
      world.fleet.env());
  // host-1 is in flight: host-2 has not started (one at a time). Its sshd goes away now, with
  // any connection drover may already hold to it.
  ASSERT_TRUE(deploy.wait_for(R"({"event":"host_started","host":"host-1",)")) << deploy.output();
  world.sshd.stop("host-2");
  auto code = deploy.wait_exit();
  ASSERT_TRUE(code.has_value()) << deploy.output();
  const auto output = deploy.output();

  // The rollout completed with one tolerated failure; verification then finds host-2's bots
  // unanswered (its host is unreachable), so the deploy ends "stale or down" (5).
  EXPECT_EQ(*code, 5) << output;
  auto result = result_event(output);
  ASSERT_TRUE(result.is_object()) << output;
  EXPECT_EQ(result["succeeded"], 2) << result.dump();
  EXPECT_EQ(result["failed"], 1) << result.dump();
  ASSERT_EQ(result["failures"].size(), 1u) << result.dump();
  const auto& failure = result["failures"][0];
  EXPECT_EQ(failure["host"], "host-2");
  EXPECT_EQ(failure["kind"], "unreachable") << failure.dump();
  EXPECT_NE(failure["reason"].get<std::string>().find("host-2 (" + world.sshd.address("host-2")),
            std::string::npos)
      << failure.dump();

  for (const auto& host : world.fleet.hosts()) {
    for (int id : host.bots) {
      EXPECT_TRUE(world.fleet.bot(id).state.running) << "bot" << id;
      EXPECT_FALSE(world.fleet.has_prev(id)) << "bot" << id;
      if (host.name == "host-2") {
        EXPECT_EQ(world.fleet.version(id), "v1") << "bot" << id;
        EXPECT_EQ(world.fleet.bot(id).id, before[id].id) << "bot" << id << " was touched";
      } else {
        EXPECT_EQ(world.fleet.version(id), "v2") << "bot" << id;
      }
    }
  }
}

constexpr const char* kTolerateOneOfTwo = R"([speeds.routine]
concurrency = 1
halt_percent = 50
stop_timeout = 5
settle = 2
login_wait = 10
)";

TEST(SshDeployIT, AChangedHostKeyIsRefusedNamingTheHost) {
  SshWorld world("e2e-ssh-hostkey", {{"host-1", {8321}}, {"host-2", {8322}}}, kTolerateOneOfTwo);
  world.fleet.run_all("v1");
  auto before = world.fleet.snapshot();
  world.sshd.change_host_key("host-2");

  auto run = world.drover({"deploy", "all", "routine", "v2", "-y", "--straggler-wait", "3"});

  EXPECT_EQ(run.exit_code, 5) << run.out << run.err;
  EXPECT_EQ(world.fleet.version(8321), "v2");
  EXPECT_EQ(world.fleet.version(8322), "v1");
  EXPECT_EQ(world.fleet.bot(8322).id, before[8322].id) << "bot8322 was touched";
  EXPECT_TRUE(world.fleet.bot(8322).state.running);
  const auto port = world.sshd.address("host-2").substr(world.sshd.address("host-2").rfind(':'));
  EXPECT_EQ(first_missing(run.out + run.err,
                          {"host key refused for host-2 (" + world.sshd.address("host-2") + ")",
                           "ssh-keygen -R '[127.0.0.1]" + port + "'"}),
            "")
      << run.out << run.err;
}

}  // namespace
}  // namespace drover::testing
