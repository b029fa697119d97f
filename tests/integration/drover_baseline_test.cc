// `drover baseline` end to end: the real drover runs the real agent through the local
// transport on a fleet whose hosts' / is a test directory tree (DROVER_AGENT_ROOT, inherited by
// the agent), with the real systemctl working offline on it.
#include <gtest/gtest.h>

#include "support/drover_fleet.h"
#include "support/host_root.h"
#include "util/sha256.h"

namespace drover::testing {
namespace {

// `drover args...` for `fleet` with the agent checking `root` instead of this machine's /.
DroverRun drover_on_root(const DroverFleet& fleet, const std::vector<std::string>& args,
                         const HostRoot& root, const std::string& config = "") {
  ProcessOptions options;
  options.timeout = std::chrono::minutes(5);
  options.extra_env = fleet.env();
  options.extra_env["DROVER_AGENT_ROOT"] = root.path().string();
  auto result = PosixProcessRunner().run(fleet.argv(args, config), options);
  return {result.exit_code, result.out, result.err};
}

TEST(BaselineFleetIT, BrokenHostIsReportedThenRepairedByFixAndASecondFixChangesNothing) {
  DroverFleet fleet(DROVER_BIN, "e2e-baseline", {{"bot-host-1", {8601, 8602}}});
  HostRoot root(0640);

  auto checked = drover_on_root(fleet, {"baseline"}, root);
  EXPECT_EQ(checked.exit_code, 8) << checked.all();
  EXPECT_EQ(first_missing(checked.out,
                          {"host        docker on boot  resolv.conf  log rotation  free disk",
                           "bot-host-1  NOT enabled     0640         local", "0.1.0 ✓",
                           "bot-host-1: docker on boot: docker is 'disabled' at boot",
                           "--fix runs `systemctl enable docker`",
                           "bot-host-1: resolv.conf: /etc/resolv.conf is mode 0640, not 0644",
                           "1 host: 0 ok, 1 needs attention (run drover baseline --fix)"}),
            "")
      << checked.out;
  EXPECT_FALSE(root.docker_enabled()) << "a check without --fix changed the host";
  EXPECT_EQ(root.mode("etc/resolv.conf"), 0640u);

  auto fixed = drover_on_root(fleet, {"baseline", "--fix"}, root);
  EXPECT_EQ(fixed.exit_code, 0) << fixed.all();
  EXPECT_EQ(first_missing(fixed.out,
                          {"bot-host-1  NOT enabled → fixed  0640 → fixed",
                           "bot-host-1: docker on boot: fixed:", "bot-host-1: resolv.conf: fixed:",
                           "1 host: all ok, 2 fixes made by this run"}),
            "")
      << fixed.out;
  EXPECT_TRUE(root.docker_enabled());
  EXPECT_EQ(root.mode("etc/resolv.conf"), 0644u);

  auto again = drover_on_root(fleet, {"baseline", "--fix"}, root);
  EXPECT_EQ(again.exit_code, 0) << again.all();
  EXPECT_NE(again.out.find("bot-host-1  enabled         0644         local"), std::string::npos)
      << again.out;
  EXPECT_EQ(again.out.find("fixed"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("1 host: all ok\n"), std::string::npos) << again.out;
}

TEST(BaselineFleetIT, EveryTargetHostIsARowAndJsonCarriesTheSame) {
  DroverFleet fleet(
      DROVER_BIN, "e2e-baseline-rows",
      {{"bot-host-1", {8611}}, {"bot-host-2", {8612}}, {"stage-1", {8613}, "staging"}});
  HostRoot root(0644);
  // Docker on boot is the one thing left broken: every host reports it.
  auto all = drover_on_root(fleet, {"baseline", "all"}, root);
  EXPECT_EQ(all.exit_code, 8) << all.all();
  EXPECT_EQ(first_missing(all.out, {"bot-host-1  NOT enabled", "bot-host-2  NOT enabled",
                                    "2 hosts: 0 ok, 2 need attention"}),
            "")
      << all.out;
  EXPECT_EQ(all.out.find("stage-1"), std::string::npos) << "all means production" << all.out;

  auto one = drover_on_root(fleet, {"baseline", "bot", "8613", "--json"}, root);
  EXPECT_EQ(one.exit_code, 8) << one.all();
  auto json = nlohmann::json::parse(one.out);
  EXPECT_EQ(json["command"], "baseline");
  ASSERT_EQ(json["hosts"].size(), 1u) << json;
  EXPECT_EQ(json["hosts"][0]["host"], "stage-1");
  EXPECT_EQ(json["hosts"][0]["agent"]["state"], "current");
  EXPECT_EQ(json["hosts"][0]["checks"][0]["cell"], "NOT enabled");
  EXPECT_EQ(json["summary"]["need_attention"], 1);

  auto bad = drover_on_root(fleet, {"baseline", "all", "fast"}, root);
  EXPECT_EQ(bad.exit_code, 2) << bad.all();
  EXPECT_NE(bad.err.find("baseline takes no speed"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace drover::testing
