#include <gtest/gtest.h>

#include <chrono>

#include "cli/view/history_text.h"
#include "core/text_columns.h"
#include "state_test_dir.h"

namespace drover::cli {
namespace {

using core::FailureKind;
using core::HostOutcome;
using core::HostRecord;
using std::chrono::milliseconds;
using std::chrono::seconds;

const std::string kId1 = "6ca32b16-367e-4372-8a33-6dd9442ed2c3";
const std::string kId2 = "0b8e2d1f-1c2a-4c3b-9d4e-5f6a7b8c9d0e";

StoredDeploy stored(const std::string& id, const std::string& created_at,
                    std::vector<HostRecord> hosts, bool ended,
                    DeployOrigin origin = {"alice@ops-1", "drover deploy all routine -y"}) {
  StoredDeploy deploy;
  deploy.deploy_id = id;
  deploy.origin = std::move(origin);
  deploy.replay.plan = testing::sample_plan(id, created_at);
  for (const auto& record : hosts) {
    if (record.outcome.ok()) {
      deploy.replay.succeeded_hosts.insert(record.host);
    } else {
      deploy.replay.succeeded_hosts.erase(record.host);
    }
  }
  deploy.replay.hosts = std::move(hosts);
  if (ended) {
    core::JournalResult result;
    result.result.status = core::RolloutStatus::failed;
    result.result.total = 2;
    result.result.succeeded = 1;
    result.result.failed = 1;
    result.exit_code = core::ExitCode::stale_or_down;
    result.finished_at = "2026-06-12T10:03:00Z";
    deploy.replay.result = result;
  }
  return deploy;
}

const HostRecord kOk1{"host-1", HostOutcome::success("3 bot(s) on the new image"), seconds(42), {}};
const HostRecord kBad2{"host-2",
                       HostOutcome::failure(FailureKind::bot_failed, "bot542 rolled back"),
                       milliseconds(40400),
                       {}};

TEST(HistoryText, TallyUsesEachHostsLatestRecord) {
  const auto deploy = stored(kId1, "2026-06-12T10:00:00Z", {kBad2, kOk1}, false);
  const auto tally = tally_hosts(deploy.replay);
  EXPECT_EQ(tally.ok, 1u);
  EXPECT_EQ(tally.failed, 1u);
  EXPECT_EQ(tally.not_finished, 0u);
  EXPECT_EQ(tally.total, 2u);
  auto retried = deploy;
  retried.replay.hosts.push_back({"host-2", HostOutcome::success(), seconds(30), {}});
  EXPECT_EQ(tally_hosts(retried.replay).failed, 0u);
  EXPECT_EQ(tally_hosts(retried.replay).ok, 2u);
  EXPECT_EQ(tally_hosts(stored(kId1, "t", {}, false).replay).not_finished, 2u);
}

TEST(HistoryText, TableIsNewestFirstAsGivenWithEveryColumn) {
  const std::vector<StoredDeploy> deploys = {
      stored(kId2, "2026-06-14T08:30:00Z", {kOk1}, false, {"bob@ops-2", "x"}),
      stored(kId1, "2026-06-12T10:00:00Z", {kOk1, kBad2}, true, {})};
  const auto text = render_history_table(deploys, 10);
  EXPECT_EQ(text,
            "DEPLOY    STARTED UTC  TARGET  SPEED    IMAGE        OK/FAIL/ALL  RESULT      "
            "OPERATOR\n"
            "0b8e2d1f  06-14 08:30  all     routine  v2@eeeeeeee  1/0/2        unfinished  "
            "bob@ops-2\n"
            "6ca32b16  06-12 10:00  all     routine  v2@eeeeeeee  1/1/2        failed      ?\n");
}

TEST(HistoryText, TheTableFitsOneHundredColumnsWithTheWidestCells) {
  auto deploy = stored(kId1, "2026-06-12T10:00:00Z", {kOk1, kBad2}, true,
                       {"a-very-long-operator-name@build-host-17", "x"});
  deploy.replay.plan.selection.target = core::Target::single_bot(8101);
  deploy.replay.plan.speed = core::SpeedName::immediate;
  deploy.replay.plan.image = "127.0.0.1:5000/tradebot:2026.11.30-release-candidate-7";
  deploy.replay.result->exit_code = core::ExitCode::still_not_logged_in;
  deploy.replay.result->result.status = core::RolloutStatus::success;
  deploy.replay.result->result.failed = 0;
  const auto text = render_history_table({deploy, deploy}, 10);
  std::size_t begin = 0;
  while (begin < text.size()) {
    const auto end = text.find('\n', begin);
    const auto line = text.substr(begin, end - begin);
    EXPECT_LE(core::display_width(line), 100u) << line;
    begin = end + 1;
  }
  EXPECT_NE(text.find("2026.11.30-re…"), std::string::npos) << text;
  EXPECT_NE(text.find("a-very-long…"), std::string::npos) << text;
  EXPECT_NE(text.find("verify failed"), std::string::npos) << text;
}

TEST(HistoryText, TargetOfABotDeployNamesTheBot) {
  auto deploy = stored(kId1, "2026-06-12T10:00:00Z", {}, false);
  deploy.replay.plan.selection.target = core::Target::single_bot(540);
  const auto text = render_history_table({deploy}, 10);
  EXPECT_NE(text.find("  bot 540  routine  "), std::string::npos) << text;
}

TEST(HistoryText, TableStopsAtMaxRowsAndSaysSo) {
  const std::vector<StoredDeploy> deploys = {stored(kId2, "2026-06-14T08:30:00Z", {}, false),
                                             stored(kId1, "2026-06-12T10:00:00Z", {}, false)};
  const auto text = render_history_table(deploys, 1);
  EXPECT_NE(text.find(kId2.substr(0, 8)), std::string::npos);
  EXPECT_EQ(text.find(kId1.substr(0, 8)), std::string::npos);
  EXPECT_NE(text.find("… 1 older deploy(s) not shown\n"), std::string::npos) << text;
  EXPECT_EQ(render_history_table({}, 20), "no deploys recorded for this fleet yet\n");
}

TEST(HistoryText, EscapesWhatTheJournalSays) {
  auto deploy = stored(kId1, "2026-06-12T10:00:00Z", {}, false, {"eve\x1b[2J@ops", "x\ny"});
  const auto table = render_history_table({deploy}, 5);
  EXPECT_EQ(table.find('\x1b'), std::string::npos);
  EXPECT_NE(table.find("eve\\x1b[2J@…"), std::string::npos) << table;  // escaped, then cut
  const auto details = render_deploy_details(deploy);
  EXPECT_EQ(details.find('\x1b'), std::string::npos);
  EXPECT_NE(details.find("x\\ny"), std::string::npos) << details;
}

TEST(HistoryText, ShowListsPlanHostsResultAndVerification) {
  auto deploy = stored(
      kId1, "2026-06-12T10:00:00Z",
      {kBad2,
       {"host-2", HostOutcome::failure(FailureKind::unreachable, "ssh: refused"), seconds(3), {}}},
      true);
  deploy.replay.result->result.failures = {deploy.replay.hosts.back()};
  core::JournalVerification verification;
  verification.report.total = 6;
  verification.report.on_version = {539, 540, 541};
  verification.report.stale = {542, 543, 544};
  verification.report.logged_in = {539, 540};
  verification.report.not_logged_in = {541, 542, 543, 544};
  verification.retry = core::StragglerRetryResult{1, {541}, {}};
  deploy.replay.verification = verification;

  const auto text = render_deploy_details(deploy);
  EXPECT_EQ(text.rfind("deploy " + kId1 + "\n", 0), 0u) << text;
  EXPECT_NE(text.find("  started  2026-06-12T10:00:00Z by alice@ops-1\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("  command  drover deploy all routine -y\n"), std::string::npos) << text;
  EXPECT_NE(text.find("deploy plan"), std::string::npos) << text;
  EXPECT_NE(text.find("sha256:" + std::string(64, 'e')), std::string::npos) << "full digest";
  EXPECT_NE(text.find("hosts: 0 ok, 1 failed, 1 not finished (of 2)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  host-1  not finished\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  host-2  FAILED (2 attempts)  3s  unreachable: ssh: refused\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("--- result: "), std::string::npos) << text;
  EXPECT_NE(text.find("finished 2026-06-12T10:03:00Z, exit code 5\n"), std::string::npos) << text;
  EXPECT_NE(text.find("verification report"), std::string::npos) << text;
  EXPECT_NE(text.find("stale (old image)"), std::string::npos) << text;
  EXPECT_NE(text.find("retry result"), std::string::npos) << text;
  EXPECT_EQ(text.find(" \n"), std::string::npos) << "no trailing spaces:\n" << text;
}

TEST(HistoryText, ShowOfAnUnfinishedDeploySaysHowToResume) {
  const auto text = render_deploy_details(stored(kId1, "2026-06-12T10:00:00Z", {kOk1}, false));
  EXPECT_NE(text.find("  host-1  ok            42s  3 bot(s) on the new image\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("--- no result recorded"), std::string::npos) << text;
  EXPECT_NE(text.find("`drover deploy --resume " + kId1 + "` deploys the 1 host(s) not done"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("verification: none recorded\n"), std::string::npos) << text;
}

TEST(HistoryText, ShowPrintsEachBotsStepDurationsWhenTheAgentReportedThem) {
  auto measured = kOk1;
  measured.bots = {{539,
                    core::BotSwapOutcome::swapped,
                    std::nullopt,
                    "",
                    {1200, 150, 3000, 400, 2000, 80, 20, 5, 3410}}};
  const auto text = render_deploy_details(stored(kId1, "2026-06-12T10:00:00Z", {measured}, false));
  EXPECT_NE(text.find("step durations per bot (ms"), std::string::npos) << text;
  EXPECT_NE(text.find("  HOST    BOT  PULL  CREATE  STOP  START  SETTLE  CLEANUP  PRUNE  LOGIN  "
                      "DOWNTIME\n"
                      "  host-1  539  1200  150     3000  400    2000    80       20     5      "
                      "3410\n"),
            std::string::npos)
      << text;
  // A journal written before the agent measured its steps has no such section.
  const auto old = render_deploy_details(stored(kId1, "2026-06-12T10:00:00Z", {kOk1}, false));
  EXPECT_EQ(old.find("step durations"), std::string::npos) << old;
}

}  // namespace
}  // namespace drover::cli
