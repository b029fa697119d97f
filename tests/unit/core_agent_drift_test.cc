// The drift guard's classification and report text, and the deploy preflight's record of it
// in the plan box and the journal.
#include <gtest/gtest.h>

#include "core/agent_drift.h"
#include "core/journal_record.h"
#include "core/plan_box.h"
#include "core_test_fleets.h"

namespace drover::core {
namespace {

const std::string kBuilt(64, 'a');
const std::string kOther = "9f8e7d6c5b4a" + std::string(52, '0');

AgentResult version_answer(const std::string& sha256) {
  AgentResult result;
  result.status = TransportStatus::ok;
  result.exit_code = 0;
  result.report_line = nlohmann::json{
      {"command", "version"},
      {"ok", true},
      {"version", "0.1.0"},
      {"sha256", sha256}}.dump();
  return result;
}

AgentResult failed(TransportStatus status, const std::string& detail) {
  AgentResult result;
  result.status = status;
  result.detail = detail + "\nsecond line is dropped";
  return result;
}

TEST(AgentDrift, ClassifiesEveryTransportOutcome) {
  EXPECT_EQ(classify_agent_version("h", version_answer(kBuilt), kBuilt).state, AgentState::current);
  auto drifted = classify_agent_version("h", version_answer(kOther), kBuilt);
  EXPECT_EQ(drifted.state, AgentState::drifted);
  EXPECT_EQ(drifted.sha256, kOther);
  EXPECT_EQ(drifted.version, "0.1.0");
  EXPECT_EQ(classify_agent_version("h", version_answer(""), kBuilt).state, AgentState::drifted);

  auto missing =
      classify_agent_version("h", failed(TransportStatus::agent_missing, "no agent at /x"), kBuilt);
  EXPECT_EQ(missing.state, AgentState::missing);
  EXPECT_EQ(missing.detail, "no agent at /x");
  EXPECT_EQ(
      classify_agent_version("h", failed(TransportStatus::unreachable, "refused"), kBuilt).state,
      AgentState::unreachable);
  EXPECT_EQ(classify_agent_version("h", failed(TransportStatus::timed_out, "slow"), kBuilt).state,
            AgentState::unreachable);
  // This build's `version` cannot fail: a failing or babbling one is some other program.
  EXPECT_EQ(classify_agent_version("h", failed(TransportStatus::bad_output, "junk"), kBuilt).state,
            AgentState::drifted);
  EXPECT_EQ(
      classify_agent_version("h", failed(TransportStatus::agent_failed, "exit 2"), kBuilt).state,
      AgentState::drifted);
  // drover's own shortage says nothing about the host: no verdict, the check stops.
  EXPECT_THROW(classify_agent_version(
                   "h", failed(TransportStatus::out_of_resources, "Too many open files"), kBuilt),
               OutOfResources);
}

DriftReport mixed_report() {
  DriftReport report;
  report.expected_sha256 = kBuilt;
  report.hosts = {
      classify_agent_version("host-1", version_answer(kBuilt), kBuilt),
      classify_agent_version("host-2", version_answer(kOther), kBuilt),
      classify_agent_version(
          "host-3", failed(TransportStatus::agent_missing, "cannot start the agent"), kBuilt),
      classify_agent_version("host-4", failed(TransportStatus::unreachable, "connection refused"),
                             kBuilt)};
  return report;
}

TEST(AgentDrift, ReportNamesEveryHostNotOnThisBuildWithWhatItRuns) {
  EXPECT_EQ(render_drift_report(mixed_report()),
            "drover-agent build of this drover: sha256 aaaaaaaaaaaa\n"
            "  drifted      host-2  runs 0.1.0, sha256 9f8e7d6c5b4a\n"
            "  missing      host-3  cannot start the agent\n"
            "  unreachable  host-4  connection refused\n"
            "4 hosts: 1 runs this build, 1 drifted, 1 missing, 1 unreachable (run drover "
            "baseline --install-agent to put this build on them; check how the unreachable ones "
            "are reached)\n");
  EXPECT_FALSE(mixed_report().clean());
}

TEST(AgentDrift, CleanReportIsOneLineAfterTheBuild) {
  DriftReport report;
  report.expected_sha256 = kBuilt;
  report.hosts = {classify_agent_version("host-1", version_answer(kBuilt), kBuilt)};
  EXPECT_TRUE(report.clean());
  EXPECT_EQ(render_drift_report(report),
            "drover-agent build of this drover: sha256 aaaaaaaaaaaa\n1 host: all run this build\n");
}

TEST(AgentDrift, JsonCountsEachState) {
  auto json = drift_to_json(mixed_report());
  EXPECT_EQ(json["clean"], false);
  EXPECT_EQ(json["hosts"][1]["state"], "drifted");
  EXPECT_EQ(json["hosts"][1]["sha256"], kOther);
  EXPECT_EQ(
      json["summary"],
      nlohmann::json::parse(R"({"hosts":4,"current":1,"drifted":1,"missing":1,"unreachable":1})"));
}

TEST(AgentDrift, PreflightBlocksOnDriftOrMissingUnlessAllowedButNeverOnUnreachable) {
  auto blocked = make_preflight(mixed_report(), false);
  EXPECT_EQ(blocked.drifted, std::vector<HostName>{"host-2"});
  EXPECT_EQ(blocked.missing, std::vector<HostName>{"host-3"});
  EXPECT_EQ(blocked.unreachable, std::vector<HostName>{"host-4"});
  EXPECT_TRUE(blocked.blocks());
  EXPECT_FALSE(make_preflight(mixed_report(), true).blocks());
  EXPECT_EQ(preflight_refusal(blocked),
            "agent preflight: 1 host runs another drover-agent build (host-2) and 1 host has no "
            "drover-agent (host-3); nothing was touched (put this build on them with drover "
            "baseline --install-agent, or deploy anyway with --allow-drift)");

  AgentPreflight only_unreachable;
  only_unreachable.hosts = 2;
  only_unreachable.unreachable = {"host-4"};
  EXPECT_FALSE(only_unreachable.blocks());
}

TEST(AgentDrift, HostListsStayShort) {
  std::vector<HostName> many;
  for (int i = 1; i <= 11; ++i) many.push_back("h" + std::to_string(i));
  EXPECT_EQ(host_list(many, 3), "h1, h2, h3 … and 8 more");
  EXPECT_EQ(host_list({"a", "b"}), "a, b");
}

DeployPlan small_plan() {
  auto plan = make_plan(testfleets::small_fleet(), Target::all(), SpeedName::routine, {},
                        parse_image_reference("127.0.0.1:5000/tradebot:v2"), "id-1",
                        "2026-06-12T10:00:00Z");
  return plan;
}

TEST(AgentPreflightInThePlan, BoxSaysDriftWasAllowedAndNamesTheHosts) {
  auto plan = small_plan();
  AgentPreflight preflight;
  preflight.expected_sha256 = kBuilt;
  preflight.hosts = 2;
  preflight.drifted = {"host-2"};
  preflight.drift_allowed = true;
  plan.agent_preflight = preflight;
  const auto box = render_plan_box(plan);
  EXPECT_NE(box.find("Agents        1/2 host(s) run this drover's build (sha256 aaaaaaaaaaaa)\n"),
            std::string::npos)
      << box;
  EXPECT_NE(box.find("Agent drift   allowed for 1 host (host-2)\n"), std::string::npos) << box;
}

TEST(AgentPreflightInThePlan, BoxShowsRefusalMissingAndUnreachableHosts) {
  auto plan = small_plan();
  AgentPreflight preflight;
  preflight.expected_sha256 = kBuilt;
  preflight.hosts = 2;
  preflight.missing = {"host-1"};
  preflight.unreachable = {"host-2"};
  plan.agent_preflight = preflight;
  const auto box = render_plan_box(plan);
  EXPECT_NE(box.find("No agent      1 host (host-1): deploy refused\n"), std::string::npos) << box;
  EXPECT_NE(box.find("Unreachable   1 host (host-2) did not answer: they will fail and count "
                     "against the error halt\n"),
            std::string::npos)
      << box;
}

TEST(AgentPreflightInThePlan, PlanWithoutPreflightShowsNoAgentRows) {
  EXPECT_EQ(render_plan_box(small_plan()).find("Agent"), std::string::npos);
}

TEST(AgentPreflightInThePlan, JournalRoundTripsItAndReadsPlansWrittenBeforeIt) {
  auto plan = small_plan();
  AgentPreflight preflight;
  preflight.expected_sha256 = kBuilt;
  preflight.hosts = 2;
  preflight.drifted = {"host-2"};
  preflight.unreachable = {"host-1"};
  preflight.drift_allowed = true;
  plan.agent_preflight = preflight;
  auto back = std::get<JournalPlan>(parse_journal_line(to_journal_line(JournalPlan{plan})));
  EXPECT_EQ(back.plan, plan);

  // A journal line from a drover before the preflight: no agent_preflight key at all.
  auto old = to_json(JournalPlan{small_plan()});
  old.erase("agent_preflight");
  auto old_back = std::get<JournalPlan>(journal_record_from_json(old));
  EXPECT_FALSE(old_back.plan.agent_preflight.has_value());
  EXPECT_EQ(old_back.plan, small_plan());
}

}  // namespace
}  // namespace drover::core
