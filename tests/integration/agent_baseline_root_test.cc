// drover-agent baseline on a directory tree standing in for a host's / (--root, or the test
// hook DROVER_AGENT_ROOT), with the real systemctl working offline on it: docker disabled at
// boot and a 0640 resolv.conf are reported, repaired by --fix, and a second --fix changes
// nothing.
#include <gtest/gtest.h>

#include "support/agent_process.h"
#include "support/host_root.h"
#include "util/sha256.h"

namespace drover::testing {
namespace {

using nlohmann::json;

const json& check_in(const json& report, const std::string& name) {
  for (const auto& check : report.at("checks")) {
    if (check.at("check") == name) return check;
  }
  throw std::out_of_range("no check " + name + " in " + report.dump());
}

TEST(BaselineAgentIT, ReportsAndRepairsARootWithRealSystemctl) {
  HostRoot root(0640);
  auto checked = run_agent(DROVER_AGENT_BIN,
                           {"baseline", "--root", root.path().string(), "--disk-floor-mb", "1"});
  ASSERT_EQ(checked.process.exit_code, 1) << checked.process.out << checked.process.err;
  EXPECT_EQ(checked.report["root"], root.path().string());
  EXPECT_EQ(checked.report["agent_version"], "0.1.0");
  EXPECT_EQ(checked.report["agent_sha256"], sha256_file_hex(DROVER_AGENT_BIN));
  const auto& boot = check_in(checked.report, "docker_on_boot");
  EXPECT_EQ(boot["ok"], false) << boot;
  EXPECT_EQ(boot["found"], "disabled") << boot;
  EXPECT_EQ(boot["fixable"], true) << boot;
  const auto& resolv = check_in(checked.report, "resolv_conf_mode");
  EXPECT_EQ(resolv["found"], "0640") << resolv;
  EXPECT_EQ(check_in(checked.report, "docker_log_rotation")["ok"], true);
  EXPECT_EQ(check_in(checked.report, "disk_free")["ok"], true) << checked.report;
  EXPECT_FALSE(root.docker_enabled());
  EXPECT_EQ(root.mode("etc/resolv.conf"), 0640u);

  // The same root through the environment (how the SSH test hosts point the agent at theirs).
  auto fixed = run_agent(DROVER_AGENT_BIN, {"baseline", "--fix", "--disk-floor-mb", "1"},
                         {{"DROVER_AGENT_ROOT", root.path().string()}});
  ASSERT_EQ(fixed.process.exit_code, 0) << fixed.process.out << fixed.process.err;
  EXPECT_EQ(fixed.report["root"], root.path().string());
  EXPECT_EQ(check_in(fixed.report, "docker_on_boot")["fixed"], true) << fixed.report;
  EXPECT_EQ(check_in(fixed.report, "resolv_conf_mode")["fixed"], true) << fixed.report;
  EXPECT_TRUE(root.docker_enabled()) << "systemctl --root did not create the wants/ symlink";
  EXPECT_EQ(root.mode("etc/resolv.conf"), 0644u);

  auto again = run_agent(DROVER_AGENT_BIN, {"baseline", "--fix", "--root", root.path().string(),
                                            "--disk-floor-mb", "1"});
  ASSERT_EQ(again.process.exit_code, 0) << again.process.out << again.process.err;
  for (const auto& check : again.report["checks"]) {
    EXPECT_EQ(check["ok"], true) << check;
    EXPECT_EQ(check["fixed"], false) << check;
  }
}

TEST(BaselineAgentIT, ExplicitRootWinsOverTheEnvironmentAndMustBeAbsolute) {
  HostRoot broken(0640);
  HostRoot healthy(0644);
  auto run = run_agent(DROVER_AGENT_BIN, {"baseline", "--root", healthy.path().string()},
                       {{"DROVER_AGENT_ROOT", broken.path().string()}});
  EXPECT_EQ(run.report["root"], healthy.path().string()) << run.report;
  EXPECT_EQ(check_in(run.report, "resolv_conf_mode")["ok"], true) << run.report;

  auto relative = run_agent(DROVER_AGENT_BIN, {"baseline", "--root", "tmp/x"});
  EXPECT_EQ(relative.process.exit_code, 2) << relative.process.out << relative.process.err;
  EXPECT_NE(relative.process.err.find("--root"), std::string::npos) << relative.process.err;
}

}  // namespace
}  // namespace drover::testing
