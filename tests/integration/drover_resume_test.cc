// Ctrl-C during a deploy, then `drover deploy --resume ID`: the real drover on the real engine.
#include <gtest/gtest.h>
#include <signal.h>

#include <regex>
#include <set>

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

// Hosts the output reports as finished ok: "[2/3] host-1: ok (3s)".
std::set<std::string> hosts_ok(const std::string& output) {
  static const std::regex line(R"(\[\d+/\d+\] (host-\d+): ok)");
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(output.begin(), output.end(), line);
       it != std::sregex_iterator(); ++it) {
    out.insert((*it)[1].str());
  }
  return out;
}

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
  EXPECT_NE(history_before.out.find(id), std::string::npos) << history_before.out;
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
  EXPECT_NE(history.out.find(id), std::string::npos) << history.out;
  EXPECT_NE(history.out.find("3/0/3"), std::string::npos) << history.out;
}

}  // namespace
}  // namespace drover::testing
