// The operator's connection to a host drops while its agent swaps bots: the swap must still
// complete on the host (the agent ignores the hangup, and its progress log and report writing
// to a pipe nobody reads any more must not stop it), whether the host's sessions die or the
// operator's ssh client is killed. Bot ids 8331-8336.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/drover_fleet.h"
#include "support/pty_session.h"
#include "support/sshd_fleet.h"
#include "support/test_env.h"

namespace drover::testing {
namespace {

using namespace std::chrono_literals;

// A settle window long enough that the drop lands while the new containers are being watched
// and the old ones are still beside them as bot<ID>-prev.
constexpr const char* kLongSettle = R"([speeds.routine]
concurrency = 1
stop_timeout = 5
settle = 6
login_wait = 10
)";

// Polls `done` until it holds; the deadline is a safety net against a hang, not an assertion
// about how long anything takes.
template <typename Predicate>
bool eventually(Predicate done, std::chrono::seconds safety_net = 180s) {
  const auto deadline = std::chrono::steady_clock::now() + safety_net;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

// Deploys v2 to one ssh host with two bots, runs `cut` once the swap is mid-way, then checks
// that the agent finished the swap on its own: both bots on v2, running, no -prev left.
template <typename Cut>
void drop_mid_swap(const std::string& fleet_name, int first_bot, Cut cut) {
  DroverFleet fleet(DROVER_BIN, fleet_name, {{"host-1", {first_bot, first_bot + 1}}}, kLongSettle);
  SshdFleet sshd({"host-1"});
  sshd.install_agent("host-1", DROVER_AGENT_BIN);
  const auto config = fleet.write_file("drover-ssh.toml", ssh_toml(fleet.config_text(), sshd));
  fleet.run_all("v1");

  LiveProcess deploy(
      LiveProcess::Mode::pipes,
      fleet.argv({"deploy", "all", "routine", "v2", "-y", "--json", "--straggler-wait", "3"},
                 config),
      fleet.env());
  ASSERT_TRUE(deploy.wait_for(R"({"event":"host_started","host":"host-1",)")) << deploy.output();
  // Mid-swap: an old container has been renamed aside and its replacement is being watched.
  ASSERT_TRUE(eventually([&] {
    return fleet.has_prev(first_bot) || fleet.has_prev(first_bot + 1);
  })) << deploy.output();
  ASSERT_FALSE(sshd.agent_pids().empty()) << "no agent running on host-1";
  cut(sshd, deploy.pid());

  auto code = deploy.wait_exit();
  ASSERT_TRUE(code.has_value()) << deploy.output();
  const auto output = deploy.output();
  EXPECT_NE(*code, 0) << output;
  EXPECT_NE(output.find("keeps running on the host"), std::string::npos) << output;
  EXPECT_NE(output.find("\"kind\":\"agent_error\""), std::string::npos) << output;

  // The agent, now writing into a pipe nobody reads, finishes the swap on its own.
  ASSERT_TRUE(eventually([&] { return sshd.agent_pids().empty(); })) << "the agent never ended";
  for (int id : fleet.all_bots()) {
    EXPECT_EQ(fleet.version(id), "v2") << "bot" << id;
    EXPECT_TRUE(fleet.bot(id).state.running) << "bot" << id;
    EXPECT_FALSE(fleet.has_prev(id)) << "bot" << id << "-prev left behind";
  }
  // And drover agrees once it can reach the host again.
  auto verify = fleet.drover({"verify", "all", "v2", "--straggler-wait", "3"}, config);
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

// The ssh client processes drover started (its direct children named ssh).
std::vector<pid_t> ssh_children(pid_t parent) {
  std::vector<pid_t> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto close = stat.rfind(')');
    if (close == std::string::npos ||
        stat.substr(stat.find('(') + 1, close - stat.find('(') - 1) != "ssh") {
      continue;
    }
    std::istringstream rest(stat.substr(close + 2));
    char state = 0;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid == parent) out.push_back(std::stoi(name));
  }
  return out;
}

TEST(SshConnectionDropIT, TheSwapCompletesWhenTheHostsSessionsAreKilledMidSwap) {
  drop_mid_swap("e2e-ssh-drop", 8331,
                [](SshdFleet& sshd, pid_t) { sshd.drop_connections("host-1"); });
}

TEST(SshConnectionDropIT, TheSwapCompletesWhenTheSshClientIsKilledMidSwap) {
  drop_mid_swap("e2e-ssh-kill", 8335, [](SshdFleet&, pid_t drover) {
    auto clients = ssh_children(drover);
    ASSERT_FALSE(clients.empty()) << "drover runs no ssh client";
    for (pid_t pid : clients) kill(pid, SIGKILL);
  });
}

}  // namespace
}  // namespace drover::testing
