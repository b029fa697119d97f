// `drover show ID --html FILE`: the escape every text goes through, the timeline laid out from
// the journal (core/deploy_timeline.h), the page itself parsed as XML (pugixml), and the
// command end to end through the CLI's world (support/fake_cli_world.h). The page in a real
// browser: tests/browser/deploy_page_browser_test.cc.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <pugixml.hpp>
#include <sstream>
#include <string>

#include "cli/view/deploy_html.h"
#include "cli/view/html_escape.h"
#include "core/deploy_timeline.h"
#include "support/fake_cli_world.h"
#include "support/numbered_fleet.h"

namespace drover::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(HtmlEscape, EscapesMarkupQuotesAndAmpersands) {
  EXPECT_EQ(cli::html_escape("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  EXPECT_EQ(cli::html_escape(R"(a "b" & c)"), "a &quot;b&quot; &amp; c");
  EXPECT_EQ(cli::html_escape("&amp;"), "&amp;amp;") << "already-escaped text is escaped again";
  EXPECT_EQ(cli::html_escape("host-1.example"), "host-1.example");
  EXPECT_EQ(cli::html_escape("tab\tnew\nline"), "tab\tnew\nline");
  EXPECT_EQ(cli::html_escape(std::string("bell\x07"
                                         "esc\x1b",
                                         9)),
            "bell\xEF\xBF\xBD"
            "esc\xEF\xBF\xBD")
      << "controls XML does not allow, even escaped";
  EXPECT_EQ(cli::html_escape("caf\xC3\xA9"), "caf\xC3\xA9") << "UTF-8 passes unchanged";
}

core::HostSelection selection(const std::string& host, std::vector<core::BotId> bots) {
  return {host, std::nullopt, std::move(bots)};
}

core::HostRecord record(const std::string& host, bool ok, Duration started, Duration took) {
  core::HostRecord r{host,
                     ok ? core::HostOutcome::success()
                        : core::HostOutcome::failure(core::FailureKind::unreachable, "no route"),
                     took};
  r.started = started;
  return r;
}

// A routine deploy of 5 hosts that the error halt stopped after host-2 failed at 30 s: host-1
// ok, host-2 failed, host-3 rolled back, host-4 and host-5 not started.
cli::StoredDeploy halted_deploy() {
  cli::StoredDeploy deploy;
  deploy.deploy_id = "6ca32b16-367e-4372-8a33-6dd9442ed2c3";
  deploy.origin = {"alice@ops-1", "drover deploy all routine v2 -y"};
  auto& plan = deploy.replay.plan;
  plan.deploy_id = deploy.deploy_id;
  plan.fleet = "tradebot";
  plan.created_at = "2026-06-12T10:00:00Z";
  plan.image = "registry.test/tradebot:v2";
  plan.pinned_image = "registry.test/tradebot@sha256:" + std::string(64, 'e');
  for (int i = 1; i <= 5; ++i) {
    plan.selection.hosts.push_back(
        selection("host-" + std::to_string(i), {static_cast<core::BotId>(100 * i + 1)}));
  }
  deploy.replay.hosts.push_back(record("host-1", true, seconds(0), seconds(20)));
  deploy.replay.hosts.push_back(record("host-2", false, seconds(5), seconds(25)));
  auto rolled_back = record("host-3", false, seconds(10), seconds(30));
  rolled_back.outcome.kind = core::FailureKind::bot_failed;
  rolled_back.outcome.reason = "bot301 rolled back: Health check exceeded timeout (1s)";
  rolled_back.bots.push_back({301, core::BotSwapOutcome::rolled_back, std::nullopt, ""});
  deploy.replay.hosts.push_back(rolled_back);
  core::JournalResult result;
  result.result.status = core::RolloutStatus::halted;
  result.result.total = 5;
  result.result.succeeded = 1;
  result.result.failed = 2;
  result.result.not_started = {"host-4", "host-5"};
  result.result.elapsed = seconds(40);
  result.result.stopped_after = seconds(30);
  result.exit_code = core::ExitCode::halted;
  result.finished_at = "2026-06-12T10:00:40Z";
  deploy.replay.result = result;
  core::JournalVerification verification;
  verification.report.total = 5;
  verification.report.on_version = {101};
  verification.report.stale = {201, 301};
  verification.report.down = {401};
  verification.report.down_reasons[401] = "no container";
  verification.report.unanswered = {501};
  verification.report.logged_in = {};
  verification.report.not_logged_in = {101};
  verification.retry = core::StragglerRetryResult{1, {}, {101}};
  deploy.replay.verification = verification;
  return deploy;
}

TEST(DeployTimeline, RowsFollowThePlanWithTheirWaitRunAndOutcome) {
  const auto timeline = core::deploy_timeline(halted_deploy().replay);
  ASSERT_EQ(timeline.rows.size(), 5u);
  EXPECT_EQ(timeline.span, seconds(40));
  EXPECT_TRUE(timeline.start_times_recorded);
  EXPECT_FALSE(timeline.resumed);
  ASSERT_TRUE(timeline.stop.has_value());
  EXPECT_EQ(timeline.stop->status, core::RolloutStatus::halted);
  EXPECT_EQ(timeline.stop->at, seconds(30));

  const auto& ok = timeline.rows[0];
  EXPECT_EQ(ok.outcome, core::TimelineOutcome::ok);
  EXPECT_EQ(
      ok.segments,
      (std::vector<core::TimelineSegment>{{core::TimelineStep::swap, seconds(0), seconds(20)}}));
  const auto& failed = timeline.rows[1];
  EXPECT_EQ(failed.outcome, core::TimelineOutcome::failed);
  EXPECT_EQ(failed.segments, (std::vector<core::TimelineSegment>{
                                 {core::TimelineStep::waiting, seconds(0), seconds(5)},
                                 {core::TimelineStep::swap, seconds(5), seconds(30)}}));
  EXPECT_EQ(failed.reason, "no route");
  EXPECT_EQ(timeline.rows[2].outcome, core::TimelineOutcome::rolled_back);
  for (std::size_t i : {3u, 4u}) {
    EXPECT_EQ(timeline.rows[i].outcome, core::TimelineOutcome::not_started);
    EXPECT_EQ(timeline.rows[i].segments,
              (std::vector<core::TimelineSegment>{
                  {core::TimelineStep::absent, seconds(30), seconds(40)}}))
        << "from the halt to the end";
  }
}

TEST(DeployTimeline, TheAgentsStepTimesSplitARunEachStepItsSlowestBots) {
  auto deploy = halted_deploy();
  auto& host = deploy.replay.hosts[0];  // started at 0, took 20 s
  core::SwapTimings a;
  a.pull_ms = 3000;
  a.create_ms = 500;
  a.stop_ms = 2000;
  a.start_ms = 500;
  a.settle_ms = 9000;
  a.cleanup_ms = 500;
  a.login_ms = 1000;
  auto b = a;
  b.stop_ms = 4000;  // the slower bot: the swap step lasts 5 s
  host.bots = {{101, core::BotSwapOutcome::swapped, std::nullopt, "", a},
               {102, core::BotSwapOutcome::swapped, std::nullopt, "", b}};
  const auto timeline = core::deploy_timeline(deploy.replay);
  EXPECT_TRUE(timeline.step_times_recorded);
  using core::TimelineStep;
  EXPECT_EQ(timeline.rows[0].segments,
            (std::vector<core::TimelineSegment>{
                {TimelineStep::agent, seconds(0), milliseconds(1500)},
                {TimelineStep::pull, milliseconds(1500), milliseconds(4500)},
                {TimelineStep::swap, milliseconds(4500), milliseconds(9500)},
                {TimelineStep::settle, milliseconds(9500), seconds(19)},
                {TimelineStep::login, seconds(19), seconds(20)}}))
      << "18.5 s measured of a 20 s run: the first 1.5 s are the agent's and the transport's";
  EXPECT_EQ(timeline.rows[1].segments.back().step, TimelineStep::swap) << "no steps: one run";

  host.took = seconds(10);  // steps adding up to more than the run are scaled into it
  const auto scaled = core::deploy_timeline(deploy.replay).rows[0].segments;
  EXPECT_EQ(scaled.front().step, TimelineStep::pull);
  EXPECT_EQ(scaled.back().end, seconds(10));
  const auto page = cli::render_deploy_html(deploy);
  EXPECT_TRUE(contains(page, R"(data-step="settle")")) << page;
  EXPECT_TRUE(contains(page, "within a run, from faint to full"));
}

TEST(DeployTimeline, OlderJournalsWithoutStartTimesDrawEveryHostFromZero) {
  auto deploy = halted_deploy();
  for (auto& host : deploy.replay.hosts) host.started.reset();
  deploy.replay.result->result.stopped_after.reset();
  const auto timeline = core::deploy_timeline(deploy.replay);
  EXPECT_FALSE(timeline.start_times_recorded);
  EXPECT_EQ(
      timeline.rows[1].segments,
      (std::vector<core::TimelineSegment>{{core::TimelineStep::swap, seconds(0), seconds(25)}}));
  EXPECT_EQ(timeline.stop->at, std::nullopt);
  const auto page = cli::render_deploy_html(deploy);
  EXPECT_TRUE(contains(page, "start times not recorded")) << page;
  EXPECT_TRUE(contains(page, "the error halt stopped new starts; when was not recorded"));
  EXPECT_FALSE(contains(page, "class=\"stop-marker\"")) << "no line where the time is unknown";
}

TEST(DeployTimeline, TimesReadAsAnOperatorWouldSayThem) {
  EXPECT_EQ(core::timeline_time_text(milliseconds(850)), "850ms");
  EXPECT_EQ(core::timeline_time_text(milliseconds(3500)), "3.5s");
  EXPECT_EQ(core::timeline_time_text(seconds(3)), "3s");
  EXPECT_EQ(core::timeline_time_text(seconds(42)), "42s");
  EXPECT_EQ(core::timeline_time_text(seconds(250)), "4m10s");
  EXPECT_EQ(core::timeline_time_text(seconds(120)), "2m");
  EXPECT_EQ(core::timeline_time_text(seconds(3720)), "1h02m");
}

pugi::xml_document parse_page(const std::string& page) {
  pugi::xml_document doc;
  const auto parsed = doc.load_string(page.c_str(), pugi::parse_default | pugi::parse_doctype);
  EXPECT_TRUE(parsed) << parsed.description() << " at offset " << parsed.offset << ":\n"
                      << page.substr(static_cast<std::size_t>(
                                         std::max<std::ptrdiff_t>(0, parsed.offset - 80)),
                                     160);
  return doc;
}

std::size_t count(const pugi::xml_document& doc, const char* xpath) {
  return doc.select_nodes(xpath).size();
}

TEST(DeployHtml, APageIsWellFormedWithARowPerHostTheHaltAndTheBotIds) {
  const auto page = cli::render_deploy_html(halted_deploy());
  const auto doc = parse_page(page);
  EXPECT_EQ(count(doc, "//*[local-name()='g'][@class='host-row']"), 5u);
  EXPECT_EQ(count(doc, "//*[local-name()='g'][@class='host-row'][@data-outcome='not started']"),
            2u);
  const auto marker = doc.select_node("//*[local-name()='g'][@class='stop-marker']");
  ASSERT_TRUE(marker) << "the error halt is drawn";
  EXPECT_EQ(std::string(marker.node().child("text").text().get()), "error halt at 30s");
  // One run per recorded host, filled with its outcome's colour.
  const auto runs = doc.select_nodes("//*[local-name()='rect'][@class='run']");
  ASSERT_EQ(runs.size(), 5u) << "3 runs and 2 hosts not started";
  EXPECT_EQ(std::string(runs[0].node().attribute("fill").value()),
            cli::timeline_colour(core::TimelineOutcome::ok));
  EXPECT_EQ(std::string(runs[1].node().attribute("fill").value()),
            cli::timeline_colour(core::TimelineOutcome::failed));
  EXPECT_EQ(std::string(runs[2].node().attribute("fill").value()),
            cli::timeline_colour(core::TimelineOutcome::rolled_back));

  for (const auto* part : {"6ca32b16-367e-4372-8a33-6dd9442ed2c3", "alice@ops-1", "routine",
                           "v2@sha256:eeee", "halted", "<td>4</td>", "2026-06-12T10:00:00Z"}) {
    EXPECT_TRUE(contains(page, part)) << part;
  }
  EXPECT_TRUE(contains(page, "on the target image (1)</p><p class=\"ids\">101</p>"));
  EXPECT_TRUE(contains(page, "stale (running another image) (2)</p><p class=\"ids\">201 301</p>"));
  EXPECT_TRUE(contains(page, "down (1)</p><p class=\"ids\">401</p>"));
  EXPECT_TRUE(contains(page, "bot 401: no container"));
  EXPECT_TRUE(contains(page, "unanswered (its host did not answer) (1)</p><p class=\"ids\">501"));
  EXPECT_TRUE(contains(page, "stragglers still not logged in (1)</p><p class=\"ids\">101</p>"));
  EXPECT_TRUE(contains(page, "Health check exceeded timeout (1s)"));
}

TEST(DeployHtml, NothingFromTheJournalReachesTheMarkupUnescaped) {
  auto deploy = halted_deploy();
  const std::string evil = "<script>alert(\"x\")</script>&'";
  deploy.origin.operator_name = evil;
  deploy.origin.command = "drover deploy " + evil;
  deploy.replay.plan.fleet = evil;
  deploy.replay.plan.selection.hosts[0].name = evil;
  deploy.replay.hosts[0].host = evil;
  deploy.replay.hosts[1].outcome.reason = evil + "\x1b[31m";
  deploy.replay.verification->report.down_reasons[401] = evil;
  const auto page = cli::render_deploy_html(deploy);
  EXPECT_FALSE(contains(page, "<script")) << page;
  EXPECT_FALSE(contains(page, "\x1b"));
  EXPECT_TRUE(contains(page, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"));
  const auto doc = parse_page(page);
  EXPECT_EQ(count(doc, "//script"), 0u);
  EXPECT_EQ(count(doc, "//*[local-name()='g'][@class='host-row']"), 5u);
}

TEST(DeployHtml, ThePageFetchesNothing) {
  const auto page = cli::render_deploy_html(halted_deploy());
  for (const auto* fetch : {"<script", "<link", "<img", "@import", "url(", "src=", "href="}) {
    EXPECT_FALSE(contains(page, fetch)) << fetch;
  }
}

TEST(DeployHtml, AnInterruptIsMarkedAndAnUnfinishedDeploySaysSo) {
  auto deploy = halted_deploy();
  deploy.replay.result->result.status = core::RolloutStatus::interrupted;
  deploy.replay.result->result.stopped_after = milliseconds(3500);
  auto page = cli::render_deploy_html(deploy);
  EXPECT_TRUE(contains(page, ">interrupted at 3.5s</text>")) << page;

  deploy.replay.result.reset();
  deploy.replay.verification.reset();
  page = cli::render_deploy_html(deploy);
  const auto doc = parse_page(page);
  EXPECT_EQ(count(doc, "//*[local-name()='g'][@class='host-row'][@data-outcome='no record']"), 2u);
  EXPECT_TRUE(contains(page, "unfinished"));
  EXPECT_TRUE(contains(page, "none recorded (drover stopped before the end, or still runs)"));
  EXPECT_FALSE(contains(page, "stop-marker"));
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(CliShowHtml, WritesThePageOfARealDeployAndSaysWhere) {
  FakeCliWorld world(fleet_of(3), kOneAtATime);
  world.transport.script("host-2").swap_rolls_back = true;
  world.transport.script("host-1").during_swap = [&world] { world.clock.advance(seconds(20)); };
  ASSERT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 4) << world.terminal.err();
  const auto id = world.journaled_deploys().at(0);
  const auto file = world.state_root().parent_path() / "deploy.html";
  const auto before = world.terminal.out().size();
  ASSERT_EQ(world.run({"show", id.substr(0, 8), "--html", file.string()}), 0)
      << world.terminal.err();
  EXPECT_EQ(world.terminal.out().substr(before), "wrote " + file.string() + "\n");
  const auto page = read_file(file);
  const auto doc = parse_page(page);
  EXPECT_EQ(count(doc, "//*[local-name()='g'][@class='host-row']"), 3u) << "all: production";
  EXPECT_EQ(count(doc, "//*[local-name()='g'][@class='host-row'][@data-outcome='ok']"), 1u);
  EXPECT_EQ(count(doc, "//*[local-name()='g'][@class='host-row'][@data-outcome='rolled back']"),
            1u);
  EXPECT_EQ(count(doc, "//*[local-name()='g'][@class='host-row'][@data-outcome='not started']"),
            1u);
  EXPECT_TRUE(doc.select_node("//*[local-name()='g'][@class='stop-marker']")) << page;
  EXPECT_TRUE(contains(page, "error halt at 20s")) << "host-2 failed right after host-1's 20 s";
  EXPECT_TRUE(contains(page, "tester@ops-1"));
  EXPECT_FALSE(std::filesystem::exists(file.string() + ".tmp"));
}

TEST(CliShowHtml, AnUnwritablePathIsOneLineAndExitNine) {
  FakeCliWorld world(fleet_of(1));
  ASSERT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 0) << world.terminal.err();
  const auto id = world.journaled_deploys().at(0);
  const auto missing_dir = world.state_root().parent_path() / "no-such-dir" / "deploy.html";
  EXPECT_EQ(world.run({"show", id, "--html", missing_dir.string()}), 9);
  const auto err = world.terminal.err();
  EXPECT_TRUE(contains(err, "drover: error: " + missing_dir.string() +
                                ": cannot create: No such file or directory (give --html a file "
                                "in an existing directory you can write; nothing was written)\n"))
      << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_EQ(world.run({"show", id, "--html", ""}), 2);
  EXPECT_TRUE(contains(world.terminal.err(), "drover: error: --html: expected a file name"))
      << world.terminal.err();
  EXPECT_EQ(world.run({"show", id, "--html", "x.html", "--json"}), 2) << "one or the other";
}

}  // namespace
}  // namespace drover::testing
