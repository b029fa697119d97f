// Ctrl-C during a deploy, then `drover deploy --resume ID`; SIGTERM (a cancelled CI job) and
// SIGHUP (a closed terminal) end a deploy like Ctrl-C: the real drover on the real engine.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/drover_fleet.h"
#include "support/pty_session.h"
#include "support/test_env.h"

namespace drover::testing {
namespace {

constexpr const char* kOneHostAtATime = R"([speeds.routine]
concurrency = 1
stop_timeout = 5
settle = 2
login_wait = 10
)";

TEST(DroverResumeIT, AnInterruptedDeployIsResumedOnlyOnTheHostsItDidNotFinish) {
  DroverFleet fleet(DROVER_BIN, "e2e-resume",
                    {{"host-1", {8201, 8202}}, {"host-2", {8203, 8204}}, {"host-3", {8205, 8206}}},
                    kOneHostAtATime);
  fleet.run_all("v1");

  // Without a TTY drover prints one plain line per finished host: Ctrl-C after the first.
  LiveProcess deploy(LiveProcess::Mode::pipes,
                     fleet.argv({"deploy", "all", "routine", "v2", "-y", "--straggler-wait", "3"}),
                     fleet.env());
  ASSERT_TRUE(deploy.wait_for("[1/3] host-1: ok")) << deploy.output();
  deploy.send_signal(SIGINT);
  auto code = deploy.wait_exit();
  ASSERT_TRUE(code.has_value()) << deploy.output();
  const std::string first = deploy.output();
  EXPECT_EQ(*code, 4) << first;  // interrupted ends like halted
  EXPECT_NE(first.find("--- result: Interrupted"), std::string::npos) << first;
  EXPECT_NE(first.find("stopped by the operator"), std::string::npos) << first;
  auto id = deploy_id_in(first);
  ASSERT_FALSE(id.empty()) << first;
  EXPECT_FALSE(std::filesystem::exists(fleet.lock_file())) << "Ctrl-C left the lock behind";

  // The hosts finished before the interrupt took effect (host-1, and host-2 if it was
  // already in flight) are on v2; at least host-3 never started.
  auto done = hosts_ok(first);
  ASSERT_TRUE(done.count("host-1")) << first;
  ASSERT_FALSE(done.count("host-3")) << first;
  for (const auto& host : fleet.hosts()) {
    for (int bot : host.bots) {
      EXPECT_EQ(fleet.version(bot), done.count(host.name) ? "v2" : "v1") << "bot" << bot;
    }
  }
  auto after_interrupt = fleet.snapshot();
  auto history_before = fleet.drover({"history"});
  EXPECT_EQ(history_before.exit_code, 0) << history_before.err;
  EXPECT_NE(history_before.out.find(id.substr(0, 8)), std::string::npos) << history_before.out;
  EXPECT_NE(history_before.out.find("interrupted"), std::string::npos) << history_before.out;

  auto resumed = fleet.drover({"deploy", "--resume", id, "-y", "--straggler-wait", "3"});

  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  auto left = 3 - done.size();
  EXPECT_NE(resumed.out.find("resuming deploy " + id + ": " + std::to_string(left) + " of 3"),
            std::string::npos)
      << resumed.out;
  for (const auto& host : fleet.hosts()) {
    for (int bot : host.bots) {
      auto now = fleet.bot(bot);
      EXPECT_EQ(fleet.version(bot), "v2") << "bot" << bot;
      EXPECT_TRUE(now.state.running) << "bot" << bot;
      if (done.count(host.name)) {
        // Not redeployed: the very container (and start) the first run left.
        EXPECT_EQ(now.id, after_interrupt[bot].id) << host.name << " was redeployed";
        EXPECT_EQ(now.state.started_at, after_interrupt[bot].state.started_at)
            << host.name << " was restarted";
      } else {
        EXPECT_NE(now.id, after_interrupt[bot].id) << host.name << " was not deployed";
      }
    }
  }
  for (const auto& host : done) {
    EXPECT_EQ(resumed.out.find(host + ": ok"), std::string::npos) << host << " was deployed again\n"
                                                                  << resumed.out;
  }
  EXPECT_NE(resumed.out.find("host-3: ok"), std::string::npos) << resumed.out;
  EXPECT_NE(resumed.out.find("on deployed version : 6/6"), std::string::npos) << resumed.out;

  // The journal now has every host ok and the result of the resumed run.
  auto show = fleet.drover({"show", id});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("hosts: 3 ok, 0 failed, 0 not finished (of 3)"), std::string::npos)
      << show.out;
  auto history = fleet.drover({"history"});
  EXPECT_EQ(history.exit_code, 0) << history.err;
  EXPECT_NE(history.out.find(id.substr(0, 8)), std::string::npos) << history.out;
  EXPECT_NE(history.out.find("3/0/3"), std::string::npos) << history.out;
}

// SIGTERM and a closed terminal (bot ids 8880-8891). What a signalled deploy must leave: an
// interrupted result in the journal, host-1 done and journaled, host-3 never started, no lock.
void expect_interrupted_and_recorded(DroverFleet& fleet) {
  EXPECT_FALSE(std::filesystem::exists(fleet.lock_file())) << "the lock was left behind";
  auto history = fleet.drover({"history"});
  EXPECT_EQ(history.exit_code, 0) << history.err;
  EXPECT_NE(history.out.find("interrupted"), std::string::npos) << history.out;
  std::vector<std::string> ids;
  for (const auto& name : fleet.journal_files()) {
    const std::filesystem::path file(name);
    if (file.extension() == ".jsonl") ids.push_back(file.stem().string());
  }
  ASSERT_EQ(ids.size(), 1u);
  const auto& id = ids[0];
  auto show = fleet.drover({"show", id});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("host-1"), std::string::npos) << show.out;
  for (int bot : fleet.hosts()[0].bots) EXPECT_EQ(fleet.version(bot), "v2") << "bot" << bot;
  for (int bot : fleet.hosts()[2].bots) EXPECT_EQ(fleet.version(bot), "v1") << "bot" << bot;
}

// Three logical hosts (two bots on host-1, one on each other), one at a time, on v1, from
// bot id `first`; the deploy to v2 started in `mode`.
struct SignalledDeploy {
  DroverFleet fleet;
  LiveProcess deploy;
  SignalledDeploy(const std::string& fleet_name, int first, LiveProcess::Mode mode)
      : fleet(DROVER_BIN, fleet_name,
              {{"host-1", {first, first + 1}}, {"host-2", {first + 2}}, {"host-3", {first + 3}}},
              kOneHostAtATime),
        // The bots run v1 before the deploy process starts (members start in this order).
        deploy((fleet.run_all("v1"), mode),
               fleet.argv({"deploy", "all", "routine", "v2", "-y", "--straggler-wait", "3"}),
               fleet.env()) {}
};

TEST(DroverSignalIT, SigtermEndsTheDeployLikeCtrlC) {
  SignalledDeploy run("e2e-sigterm", 8880, LiveProcess::Mode::pipes);
  auto& deploy = run.deploy;
  ASSERT_TRUE(deploy.wait_for("host-1: ok")) << deploy.output();
  deploy.send_signal(SIGTERM);
  auto code = deploy.wait_exit();
  ASSERT_TRUE(code.has_value()) << deploy.output();
  EXPECT_EQ(*code, 4) << deploy.output();
  EXPECT_NE(deploy.output().find("interrupted: no new host will start"), std::string::npos)
      << deploy.output();
  EXPECT_NE(deploy.output().find("--- result: Interrupted"), std::string::npos) << deploy.output();
  expect_interrupted_and_recorded(run.fleet);
}

TEST(DroverSignalIT, AClosedTerminalEndsTheDeployLikeCtrlC) {
  SignalledDeploy run("e2e-sighup", 8884, LiveProcess::Mode::pty);
  auto& deploy = run.deploy;
  // On a terminal drover draws the live bar instead of one line per host.
  ASSERT_TRUE(deploy.wait_for("] 1/3 hosts")) << deploy.output();
  deploy.hang_up();
  auto code = deploy.wait_exit();
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 4);
  expect_interrupted_and_recorded(run.fleet);
}

TEST(DroverSignalIT, ASecondSigtermEndsAtOnceRecordingTheResultAndReleasingTheLock) {
  SignalledDeploy run("e2e-sigterm-twice", 8888, LiveProcess::Mode::pipes);
  auto& deploy = run.deploy;
  auto& fleet = run.fleet;
  // host-2 must be in flight when the first signal comes, or there is nothing to stop waiting
  // for: "host-1: ok" alone raced host-2's start (it failed CI once).
  ASSERT_TRUE(deploy.wait_for("host-2: started")) << deploy.output();
  deploy.send_signal(SIGTERM);
  ASSERT_TRUE(deploy.wait_for("interrupted: no new host will start")) << deploy.output();
  deploy.send_signal(SIGTERM);
  auto code = deploy.wait_exit();
  ASSERT_TRUE(code.has_value()) << deploy.output();
  EXPECT_EQ(*code, 4) << deploy.output();
  EXPECT_NE(deploy.output().find("interrupted again: drover stops waiting"), std::string::npos)
      << deploy.output();
  EXPECT_NE(deploy.output().find("not waited for: host-2"), std::string::npos) << deploy.output();
  EXPECT_FALSE(std::filesystem::exists(fleet.lock_file())) << "the lock was left behind";
  auto history = fleet.drover({"history"});
  EXPECT_NE(history.out.find("interrupted"), std::string::npos) << history.out;

  // Nobody waited for host-2's agent, and it finished its swap anyway.
  for (int bot : fleet.hosts()[0].bots) EXPECT_EQ(fleet.version(bot), "v2") << "bot" << bot;
  for (int bot : fleet.hosts()[1].bots) {
    std::string version;
    for (int i = 0; i < 120 && version != "v2"; ++i) {
      try {
        version = fleet.version(bot);
      } catch (const std::exception&) {
        version = "none";  // between the old container's rename and the new one's
      }
      if (version != "v2") std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    EXPECT_EQ(version, "v2") << "bot" << bot << " (its agent's swap was not finished)";
  }
  for (int bot : fleet.hosts()[2].bots) EXPECT_EQ(fleet.version(bot), "v1") << "bot" << bot;
}

}  // namespace
}  // namespace drover::testing
