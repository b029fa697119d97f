// The drift guard end to end on the local transport: with fleet.agent_path pointing at a
// tampered copy of the agent (one byte appended: it still runs, it is not this build),
// `drover drift` lists every host, `drover deploy` refuses and touches nothing,
// `--allow-drift` deploys and the plan box says so; `drover baseline --install-agent` puts this
// build at a fresh agent path, and drift is then clean.
#include <gtest/gtest.h>

#include <fstream>

#include "support/drover_fleet.h"
#include "support/host_root.h"
#include "support/test_env.h"
#include "util/sha256.h"

namespace drover::testing {
namespace {

namespace fs = std::filesystem;

// The fleet's drover.toml with fleet.agent_path set, written next to it.
std::string config_with_agent(const DroverFleet& fleet, const std::string& name,
                              const fs::path& agent) {
  auto text = fleet.config_text();
  const std::string section = "[fleet]\n";
  text.insert(text.find(section) + section.size(), "agent_path = \"" + agent.string() + "\"\n");
  return fleet.write_file(name, text);
}

// A copy of this build's agent with one byte appended.
fs::path tampered_agent(const DroverFleet& fleet) {
  auto path = fleet.dir() / "tampered" / "drover-agent";
  fs::create_directories(path.parent_path());
  fs::copy_file(DROVER_AGENT_BIN, path);
  std::ofstream(path, std::ios::app | std::ios::binary) << '\n';
  return path;
}

std::vector<HostSpec> three_hosts(int base) {
  return {{"bot-host-1", {base + 1}}, {"bot-host-2", {base + 2}}, {"bot-host-3", {base + 3}}};
}

TEST(DriftFleetIT, TamperedAgentIsListedOnEveryHostAndBlocksTheDeployUntilAllowed) {
  DroverFleet fleet(DROVER_BIN, "e2e-drift", three_hosts(8620));
  fleet.run_all("v1");
  auto before = fleet.snapshot();
  const auto agent = tampered_agent(fleet);
  const auto tampered_sha = sha256_file_hex(agent.string()).substr(0, 12);
  const auto config = config_with_agent(fleet, "tampered.toml", agent);

  auto drift = fleet.drover({"drift"}, config);
  EXPECT_EQ(drift.exit_code, 8) << drift.all();
  EXPECT_EQ(
      first_missing(drift.out, {"drifted  bot-host-1  runs 0.1.0, sha256 " + tampered_sha,
                                "drifted  bot-host-2  runs 0.1.0, sha256 " + tampered_sha,
                                "drifted  bot-host-3  runs 0.1.0, sha256 " + tampered_sha,
                                "3 hosts: 0 run this build, 3 drifted, 0 missing, 0 unreachable"}),
      "")
      << drift.out;
  auto json = nlohmann::json::parse(fleet.drover({"drift", "--json"}, config).out);
  EXPECT_EQ(json["summary"]["drifted"], 3) << json;

  auto refused = fleet.drover({"deploy", "all", "routine", "v2", "-y"}, config);
  EXPECT_EQ(refused.exit_code, 8) << refused.all();
  EXPECT_NE(refused.err.find("agent preflight: 3 hosts run another drover-agent build "
                             "(bot-host-1, bot-host-2, bot-host-3); nothing was touched"),
            std::string::npos)
      << refused.err;
  EXPECT_NE(refused.out.find("Agent drift   3 hosts (bot-host-1, bot-host-2, bot-host-3): deploy "
                             "refused"),
            std::string::npos)
      << refused.out;
  EXPECT_TRUE(fleet.journal_files().empty()) << "a refused deploy wrote a journal";
  EXPECT_FALSE(fs::exists(fleet.lock_file())) << "a refused deploy took the lock";
  for (int id : fleet.all_bots()) {
    expect_untouched(before[id], fleet.bot(id));
    EXPECT_EQ(fleet.version(id), "v1");
  }

  auto dry = fleet.drover({"deploy", "all", "routine", "v2", "--dry-run"}, config);
  EXPECT_EQ(dry.exit_code, 8) << dry.all();
  EXPECT_NE(dry.out.find("Agents        0/3 host(s) run this drover's build"), std::string::npos)
      << dry.out;

  auto allowed = fleet.drover(
      {"deploy", "all", "routine", "v2", "-y", "--allow-drift", "--straggler-wait", "3"}, config);
  EXPECT_EQ(allowed.exit_code, 0) << allowed.all();
  EXPECT_NE(allowed.out.find("Agent drift   allowed for 3 hosts (bot-host-1, bot-host-2, "
                             "bot-host-3)"),
            std::string::npos)
      << allowed.out;
  for (int id : fleet.all_bots()) EXPECT_EQ(fleet.version(id), "v2") << "bot" << id;
}

TEST(DriftFleetIT, CleanFleetDeploysWithoutAskingAndShowsTheAgentsRow) {
  DroverFleet fleet(DROVER_BIN, "e2e-drift-clean", three_hosts(8630));
  auto drift = fleet.drover({"drift"});
  EXPECT_EQ(drift.exit_code, 0) << drift.all();
  EXPECT_NE(drift.out.find("3 hosts: all run this build\n"), std::string::npos) << drift.out;

  auto dry = fleet.drover({"deploy", "all", "routine", "v2", "--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.all();
  EXPECT_NE(dry.out.find("Agents        3/3 host(s) run this drover's build"), std::string::npos)
      << dry.out;
}

TEST(DriftFleetIT, InstallAgentPutsThisBuildOnAFreshPathAndReplacesATamperedOne) {
  DroverFleet fleet(DROVER_BIN, "e2e-drift-install", three_hosts(8640));
  HostRoot root(0644);
  const auto fresh = fleet.dir() / "fresh" / "bin" / "drover-agent";
  const auto config = config_with_agent(fleet, "fresh.toml", fresh);

  auto before = fleet.drover({"drift"}, config);
  EXPECT_EQ(before.exit_code, 8) << before.all();
  EXPECT_NE(before.out.find("missing  bot-host-1"), std::string::npos) << before.out;
  EXPECT_NE(before.out.find("0 drifted, 3 missing"), std::string::npos) << before.out;

  ProcessOptions options;
  options.timeout = std::chrono::minutes(5);
  options.extra_env = fleet.env();
  options.extra_env["DROVER_AGENT_ROOT"] = root.path().string();
  // A healthy root, so that the baseline after the install is all ok.
  PosixProcessRunner().run({"systemctl", "--root=" + root.path().string(), "enable", "docker"});
  ASSERT_TRUE(root.docker_enabled());
  auto install =
      PosixProcessRunner().run(fleet.argv({"baseline", "--install-agent"}, config), options);
  EXPECT_EQ(install.exit_code, 0) << install.out << install.err;
  EXPECT_NE(install.out.find("0.1.0 ✓ (new)"), std::string::npos) << install.out;
  ASSERT_TRUE(fs::exists(fresh));
  EXPECT_EQ(sha256_file_hex(fresh.string()), sha256_file_hex(DROVER_AGENT_BIN));

  auto after = fleet.drover({"drift"}, config);
  EXPECT_EQ(after.exit_code, 0) << after.all();
  EXPECT_NE(after.out.find("3 hosts: all run this build"), std::string::npos) << after.out;

  // Over a tampered agent: replaced, and drift is clean again.
  const auto tampered = tampered_agent(fleet);
  const auto tampered_config = config_with_agent(fleet, "tampered.toml", tampered);
  auto replaced = PosixProcessRunner().run(
      fleet.argv({"baseline", "--install-agent"}, tampered_config), options);
  EXPECT_EQ(replaced.exit_code, 0) << replaced.out << replaced.err;
  EXPECT_EQ(fleet.drover({"drift"}, tampered_config).exit_code, 0);
}

}  // namespace
}  // namespace drover::testing
