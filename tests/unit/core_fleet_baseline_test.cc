// `drover baseline`'s fleet table: rows from the agents' answers, problems first, short cells,
// one line per problem, and the summary.
#include <gtest/gtest.h>

#include "core/fleet_baseline.h"

namespace drover::core {
namespace {

const std::string kBuilt(64, 'a');
const std::string kOther = "9f8e7d6c5b4a" + std::string(52, '0');

nlohmann::json check(const std::string& name, bool ok, const std::string& found,
                     const std::string& detail, bool fixable = false, bool fixed = false) {
  return {{"check", name},    {"ok", ok},           {"found", found},
          {"detail", detail}, {"fixable", fixable}, {"fixed", fixed}};
}

nlohmann::json healthy_checks() {
  return nlohmann::json::array(
      {check("docker_on_boot", true, "enabled", "docker is enabled at boot"),
       check("resolv_conf_mode", true, "0644", "/etc/resolv.conf is mode 0644"),
       check("docker_log_rotation", true, "local", "log-driver is 'local'"),
       check("disk_free", true, "12.3 GiB", "12.3 GiB free on /var/lib/docker, floor 1.0 GiB")});
}

AgentResult answer(nlohmann::json checks, const std::string& sha256 = kBuilt) {
  AgentResult result;
  result.status = TransportStatus::ok;
  result.report_line = nlohmann::json{
      {"command", "baseline"},
      {"ok", true},
      {"checks", checks},
      {"agent_version", "0.1.0"},
      {"agent_sha256",
       sha256}}.dump();
  return result;
}

AgentResult failed(TransportStatus status, const std::string& detail) {
  AgentResult result;
  result.status = status;
  result.detail = detail;
  return result;
}

nlohmann::json broken_boot_and_resolv(bool fixed) {
  auto checks = healthy_checks();
  checks[0] =
      fixed ? check("docker_on_boot", true, "disabled", "docker was 'disabled' at boot; enabled it",
                    true, true)
            : check("docker_on_boot", false, "disabled",
                    "docker is 'disabled' at boot; --fix runs `systemctl enable docker`", true);
  checks[1] = fixed ? check("resolv_conf_mode", true, "0640",
                            "/etc/resolv.conf was mode 0640; set it to 0644", true, true)
                    : check("resolv_conf_mode", false, "0640",
                            "/etc/resolv.conf is mode 0640, not 0644; --fix runs chmod 0644", true);
  return checks;
}

FleetBaseline fleet_of(std::vector<std::pair<std::string, AgentResult>> answers, bool fix = false) {
  FleetBaseline baseline;
  baseline.fix = fix;
  baseline.expected_sha256 = kBuilt;
  for (const auto& [host, result] : answers) {
    baseline.hosts.push_back(host_baseline_from(host, result, kBuilt));
  }
  return baseline;
}

TEST(FleetBaseline, ProblemHostsComeFirstInFleetOrderWithShortCellsAndOneLinePerProblem) {
  auto baseline = fleet_of({{"host-1", answer(healthy_checks())},
                            {"host-2", answer(broken_boot_and_resolv(false))},
                            {"host-3", failed(TransportStatus::unreachable, "connection refused")},
                            {"host-4", failed(TransportStatus::agent_missing, "no agent at /x")},
                            {"host-5", answer(healthy_checks(), kOther)}});
  EXPECT_EQ(render_fleet_baseline(baseline),
            "host    docker on boot  resolv.conf  log rotation  free disk  agent\n"
            "host-2  NOT enabled     0640         local         12.3 GiB   0.1.0 ✓\n"
            "host-3  -               -            -             -          unreachable\n"
            "host-4  -               -            -             -          missing\n"
            "host-5  enabled         0644         local         12.3 GiB   drifted\n"
            "host-1  enabled         0644         local         12.3 GiB   0.1.0 ✓\n"
            "\n"
            "host-2: docker on boot: docker is 'disabled' at boot; --fix runs `systemctl enable "
            "docker`\n"
            "host-2: resolv.conf: /etc/resolv.conf is mode 0640, not 0644; --fix runs chmod 0644\n"
            "host-3: unreachable: connection refused\n"
            "host-4: no agent: no agent at /x (drover baseline --install-agent installs it)\n"
            "host-5: agent: runs 0.1.0, sha256 9f8e7d6c5b4a, not this drover's build aaaaaaaaaaaa "
            "(drover baseline --install-agent replaces it)\n"
            "5 hosts: 1 ok, 4 need attention (run drover baseline --fix; run drover baseline "
            "--install-agent; check the hosts that did not answer)\n");
}

TEST(FleetBaseline, FixedChecksShowTheirOldValueAndTheHostIsOk) {
  auto baseline = fleet_of({{"host-1", answer(broken_boot_and_resolv(true))}}, true);
  EXPECT_EQ(baseline.needing_attention(), 0u);
  EXPECT_EQ(baseline.fixes_made(), 2u);
  const auto text = render_fleet_baseline(baseline);
  EXPECT_NE(text.find("host-1  NOT enabled → fixed  0640 → fixed  local"), std::string::npos)
      << text;
  EXPECT_NE(text.find("host-1: docker on boot: fixed: docker was 'disabled' at boot; enabled it\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("1 host: all ok, 2 fixes made by this run\n"), std::string::npos) << text;
}

TEST(FleetBaseline, AllOkSaysSoInOneLine) {
  auto baseline =
      fleet_of({{"host-1", answer(healthy_checks())}, {"host-2", answer(healthy_checks())}});
  EXPECT_EQ(baseline_summary(baseline), "2 hosts: all ok\n");
}

TEST(FleetBaseline, ProblemsFixCannotRepairAskForAHuman) {
  auto checks = healthy_checks();
  checks[0] = check("docker_on_boot", false, "masked", "docker.service is masked; unmask it");
  auto baseline = fleet_of({{"host-1", answer(checks)}}, true);
  EXPECT_EQ(check_cell(host_baseline_from("host-1", answer(checks), kBuilt).checks[0]), "masked");
  EXPECT_EQ(baseline_summary(baseline),
            "1 host: 0 ok, 1 needs attention (fix the rest by hand as the lines above say)\n");
}

TEST(FleetBaseline, CellsAreShort) {
  BaselineCheck disk{"disk_free", false, true, false, "512.0 MiB", "only 512.0 MiB free"};
  EXPECT_EQ(check_cell(disk), "512.0 MiB (low)");
  BaselineCheck logs{"docker_log_rotation", true, true, true, "unbounded", "added max-size"};
  EXPECT_EQ(check_cell(logs), "unbounded → fixed");
  BaselineCheck old_agent{"resolv_conf_mode", false, false, false, "", "no found field"};
  EXPECT_EQ(check_cell(old_agent), "PROBLEM");
  BaselineCheck no_systemd{"docker_on_boot", false, false, false, "no systemd", "…"};
  EXPECT_EQ(check_cell(no_systemd), "no systemd");
}

TEST(FleetBaseline, AnUnreadableReportIsAnAgentErrorRowNotACrash) {
  AgentResult junk;
  junk.status = TransportStatus::ok;
  junk.report_line = nlohmann::json{{"checks", "nope"}}.dump();
  auto row = host_baseline_from("host-1", junk, kBuilt);
  EXPECT_EQ(row.answer, BaselineAnswer::agent_error);
  EXPECT_TRUE(row.needs_attention());
  EXPECT_NE(row.detail.find("unreadable baseline report"), std::string::npos) << row.detail;
}

TEST(FleetBaseline, InstallOutcomesShowInTheAgentCell) {
  auto baseline =
      fleet_of({{"host-1", answer(healthy_checks())}, {"host-2", answer(healthy_checks())}});
  baseline.hosts[0].installed = true;
  baseline.hosts[1].install_error = "disk full";
  const auto text = render_fleet_baseline(baseline);
  EXPECT_NE(
      text.find("host-2  enabled         0644         local         12.3 GiB   install failed"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("0.1.0 ✓ (new)"), std::string::npos) << text;
  EXPECT_NE(text.find("host-2: agent install failed: disk full\n"), std::string::npos) << text;
}

TEST(FleetBaseline, JsonCarriesEveryHostAndTheSummary) {
  auto baseline = fleet_of({{"host-1", answer(healthy_checks())},
                            {"host-2", failed(TransportStatus::unreachable, "refused")}});
  auto json = fleet_baseline_to_json(baseline);
  ASSERT_EQ(json["hosts"].size(), 2u);
  EXPECT_EQ(json["hosts"][0]["agent"]["state"], "current");
  EXPECT_EQ(json["hosts"][0]["checks"][3]["cell"], "12.3 GiB");
  EXPECT_EQ(json["hosts"][1]["answer"], "unreachable");
  EXPECT_EQ(json["hosts"][1]["needs_attention"], true);
  EXPECT_EQ(json["summary"]["ok"], 1);
  EXPECT_EQ(json["summary"]["need_attention"], 1);
}

}  // namespace
}  // namespace drover::core
