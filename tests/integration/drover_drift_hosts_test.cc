// The drift guard and the baseline per host, over real ssh (tests/support/sshd_fleet.h): each
// host has its own agent file and its own test root (DROVER_AGENT_ROOT, set by its sshd), so
// one host can be tampered with or broken while the others stay clean.
#include <gtest/gtest.h>

#include <fstream>

#include "support/drover_fleet.h"
#include "support/host_root.h"
#include "support/sshd_fleet.h"
#include "util/sha256.h"

namespace drover::testing {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kHosts{"bot-host-1", "bot-host-2", "bot-host-3"};

std::vector<HostSpec> three_hosts(int base) {
  return {{kHosts[0], {base + 1}}, {kHosts[1], {base + 2}}, {kHosts[2], {base + 3}}};
}

// Every host gets this build's agent and a healthy root.
void healthy_hosts(SshdFleet& sshd) {
  for (const auto& host : kHosts) {
    sshd.install_agent(host, DROVER_AGENT_BIN);
    make_host_root(sshd.host_dir(host) / "root", 0644);
    PosixProcessRunner().run(
        {"systemctl", "--root=" + (sshd.host_dir(host) / "root").string(), "enable", "docker"});
  }
}

TEST(DriftPerHostIT, OneTamperedHostIsTheOnlyOneListedAndBlocksTheDeployUntilAllowed) {
  DroverFleet fleet(DROVER_BIN, "e2e-drift-ssh", three_hosts(8650));
  SshdFleet sshd(kHosts);
  healthy_hosts(sshd);
  const auto tampered = fleet.dir() / "tampered-agent";
  fs::copy_file(DROVER_AGENT_BIN, tampered);
  std::ofstream(tampered, std::ios::app | std::ios::binary) << '\n';
  sshd.install_agent("bot-host-2", tampered.string());
  const auto tampered_sha = sha256_file_hex(tampered.string()).substr(0, 12);
  const auto config = fleet.write_file("ssh.toml", ssh_toml(fleet.config_text(), sshd));
  fleet.run_all("v1");
  auto before = fleet.snapshot();

  auto drift = fleet.drover({"drift"}, config);
  EXPECT_EQ(drift.exit_code, 8) << drift.all();
  EXPECT_NE(drift.out.find("drifted  bot-host-2  runs 0.1.0, sha256 " + tampered_sha),
            std::string::npos)
      << drift.out;
  EXPECT_EQ(drift.out.find("bot-host-1"), std::string::npos) << drift.out;
  EXPECT_EQ(drift.out.find("bot-host-3"), std::string::npos) << drift.out;
  EXPECT_NE(drift.out.find("3 hosts: 2 run this build, 1 drifted"), std::string::npos) << drift.out;

  auto refused = fleet.drover({"deploy", "all", "routine", "v2", "-y"}, config);
  EXPECT_EQ(refused.exit_code, 8) << refused.all();
  EXPECT_NE(refused.err.find("1 host runs another drover-agent build (bot-host-2)"),
            std::string::npos)
      << refused.err;
  EXPECT_TRUE(fleet.journal_files().empty());
  for (int id : fleet.all_bots()) EXPECT_EQ(fleet.bot(id).id, before[id].id) << "bot" << id;

  auto allowed = fleet.drover(
      {"deploy", "all", "routine", "v2", "-y", "--allow-drift", "--straggler-wait", "3"}, config);
  EXPECT_EQ(allowed.exit_code, 0) << allowed.all();
  EXPECT_NE(allowed.out.find("Agent drift   allowed for 1 host (bot-host-2)"), std::string::npos)
      << allowed.out;
  for (int id : fleet.all_bots()) EXPECT_EQ(fleet.version(id), "v2") << "bot" << id;
}

TEST(BaselinePerHostIT, OneBrokenHostIsReportedAndRepairedByFix) {
  DroverFleet fleet(DROVER_BIN, "e2e-baseline-ssh", three_hosts(8660));
  SshdFleet sshd(kHosts);
  healthy_hosts(sshd);
  const auto broken = sshd.host_dir("bot-host-3") / "root";
  make_host_root(broken, 0640);  // docker disabled at boot again, resolv.conf 0640
  const auto config = fleet.write_file("ssh.toml", ssh_toml(fleet.config_text(), sshd));

  auto checked = fleet.drover({"baseline"}, config);
  EXPECT_EQ(checked.exit_code, 8) << checked.all();
  EXPECT_NE(checked.out.find("bot-host-3  NOT enabled     0640"), std::string::npos) << checked.out;
  EXPECT_NE(checked.out.find("3 hosts: 2 ok, 1 needs attention (run drover baseline --fix)"),
            std::string::npos)
      << checked.out;

  auto fixed = fleet.drover({"baseline", "--fix"}, config);
  EXPECT_EQ(fixed.exit_code, 0) << fixed.all();
  EXPECT_NE(fixed.out.find("bot-host-3  NOT enabled → fixed  0640 → fixed"), std::string::npos)
      << fixed.out;
  EXPECT_TRUE(docker_enabled_in(broken));
  EXPECT_EQ(mode_in(broken, "etc/resolv.conf"), 0644u);

  auto again = fleet.drover({"baseline", "--fix"}, config);
  EXPECT_EQ(again.exit_code, 0) << again.all();
  EXPECT_NE(again.out.find("3 hosts: all ok\n"), std::string::npos) << again.out;
}

TEST(InstallAgentPerHostIT, InstallAgentPutsThisBuildOnMissingAndDriftedHostsOverSsh) {
  DroverFleet fleet(DROVER_BIN, "e2e-install-ssh", three_hosts(8670));
  SshdFleet sshd(kHosts);
  healthy_hosts(sshd);
  fs::remove(sshd.host_dir("bot-host-1") / "bin" / "drover-agent");
  const auto tampered = fleet.dir() / "tampered-agent";
  fs::copy_file(DROVER_AGENT_BIN, tampered);
  std::ofstream(tampered, std::ios::app | std::ios::binary) << '\n';
  sshd.install_agent("bot-host-2", tampered.string());
  const auto config = fleet.write_file("ssh.toml", ssh_toml(fleet.config_text(), sshd));

  auto before = fleet.drover({"drift"}, config);
  EXPECT_EQ(before.exit_code, 8) << before.all();
  EXPECT_NE(before.out.find("bot-host-1"), std::string::npos) << before.out;
  EXPECT_NE(before.out.find("bot-host-2"), std::string::npos) << before.out;
  EXPECT_EQ(before.out.find("bot-host-3"), std::string::npos) << before.out;

  auto installed = fleet.drover({"baseline", "--install-agent"}, config);
  EXPECT_EQ(installed.exit_code, 0) << installed.all();
  const auto built = sha256_file_hex(DROVER_AGENT_BIN);
  for (const auto& host : kHosts) {
    const auto agent = sshd.host_dir(host) / "bin" / "drover-agent";
    ASSERT_TRUE(fs::exists(agent)) << host;
    EXPECT_EQ(sha256_file_hex(agent.string()), built) << host;
    EXPECT_FALSE(fs::exists(agent.string() + ".drover-new")) << host << ": a staged file was left";
  }

  auto after = fleet.drover({"drift"}, config);
  EXPECT_EQ(after.exit_code, 0) << after.all();
}

}  // namespace
}  // namespace drover::testing
