#include <gtest/gtest.h>

#include <chrono>
#include <limits>
#include <string>
#include <vector>

#include "core/journal_record.h"
#include "core/journal_replay.h"
#include "core_test_fleets.h"

namespace drover::core {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

DeployPlan sample_plan(const Target& target = Target::all(), SpeedName speed = SpeedName::routine) {
  auto plan = make_plan(testfleets::small_fleet(), target, speed, {},
                        parse_image_reference("127.0.0.1:5000/tradebot:v2"),
                        "6ca32b16-367e-4372-8a33-6dd9442ed2c3", "2026-06-12T10:00:00Z");
  plan.pinned_image = "127.0.0.1:5000/tradebot@sha256:" + std::string(64, 'e');
  return plan;
}

JournalRecord round_trip(const JournalRecord& record) {
  const auto line = to_journal_line(record);
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one record, one line";
  return parse_journal_line(line);
}

TEST(CoreJournal, PlanRoundTrips) {
  for (const auto& plan : {sample_plan(), sample_plan(Target::single_bot(540)),
                           sample_plan(Target::all(), SpeedName::immediate),
                           sample_plan(Target::staging(), SpeedName::fast)}) {
    EXPECT_EQ(std::get<JournalPlan>(round_trip(JournalPlan{plan})).plan, plan);
  }
}

TEST(CoreJournal, LoginRateRoundTripsAndIsAbsentWithoutACap) {
  auto plan = sample_plan(Target::all(), SpeedName::immediate);
  EXPECT_FALSE(to_json(JournalPlan{plan})["settings"].contains("login_rate"))
      << "journals of drovers before login_rate read back the same";
  plan.settings.login_rate = 10;
  EXPECT_EQ(to_json(JournalPlan{plan})["settings"]["login_rate"], 10);
  EXPECT_EQ(std::get<JournalPlan>(round_trip(JournalPlan{plan})).plan, plan);
}

TEST(CoreJournal, MeasuredEstimateRoundTripsAndOldPlansHaveNone) {
  auto plan = sample_plan();
  auto json = to_json(JournalPlan{plan});
  EXPECT_EQ(json["measured_estimate"], nullptr);
  json.erase("measured_estimate");  // a plan journaled before drover simulated the estimate
  EXPECT_FALSE(std::get<JournalPlan>(journal_record_from_json(json)).plan.measured_estimate);
  plan.measured_estimate =
      MeasuredEstimate{std::chrono::seconds(250), std::chrono::seconds(302), 12, 2136};
  EXPECT_EQ(to_json(JournalPlan{plan})["measured_estimate"]["p50_ms"], 250000);
  EXPECT_EQ(std::get<JournalPlan>(round_trip(JournalPlan{plan})).plan, plan);
}

TEST(CoreJournal, PlanJsonIsReadable) {
  const auto json = to_json(JournalPlan{sample_plan(Target::all(), SpeedName::immediate)});
  EXPECT_EQ(json["type"], "plan");
  EXPECT_EQ(json["v"], 1);
  EXPECT_EQ(json["speed"], "immediate");
  EXPECT_EQ(json["settings"]["concurrency"], "all");
  EXPECT_EQ(json["settings"]["halt"], "never");
  EXPECT_EQ(json["settings"]["jitter_ms"], 60000);
  EXPECT_EQ(json["hosts"][0]["bots"], nlohmann::json({539, 540, 541}));
  EXPECT_EQ(json["target"]["bot"], nullptr);
}

TEST(CoreJournal, HostVerificationAndResultRoundTrip) {
  const JournalHost ok{
      {"host-1", HostOutcome::success("3 bot(s) on the new image"), seconds(42), {}}};
  const JournalHost bad{
      {"host-2",
       HostOutcome::failure(FailureKind::bot_failed, "bot541 rolled back: \"x\"\n\xff"),
       milliseconds(40123),
       {}}};
  EXPECT_EQ(std::get<JournalHost>(round_trip(ok)), ok);
  const auto bad_back = std::get<JournalHost>(round_trip(bad));
  EXPECT_EQ(bad_back.record.outcome.kind, FailureKind::bot_failed);
  EXPECT_EQ(bad_back.record.took, milliseconds(40123));

  JournalVerification verification;
  verification.report.total = 4;
  verification.report.on_version = {1, 2, 3};
  verification.report.down = {4};
  verification.report.down_reasons[4] = "crash-looping on repo@sha256:0123456789ab";
  verification.report.logged_in = {1, 2};
  verification.report.not_logged_in = {3};
  EXPECT_EQ(std::get<JournalVerification>(round_trip(verification)), verification);
  verification.retry = StragglerRetryResult{1, {3}, {}};
  EXPECT_EQ(std::get<JournalVerification>(round_trip(verification)), verification);

  JournalResult result;
  result.result.status = RolloutStatus::halted;
  result.result.total = 178;
  result.result.succeeded = 40;
  result.result.failed = 18;
  result.result.already_done = 5;
  result.result.tolerated_failures = 17;
  result.result.failures = {bad.record};
  result.result.not_started = {"host-99", "host-100"};
  result.result.elapsed = seconds(612);
  result.exit_code = ExitCode::halted;
  result.finished_at = "2026-06-12T10:10:12Z";
  EXPECT_EQ(std::get<JournalResult>(round_trip(result)).result.failures.size(), 1u);
  auto back = std::get<JournalResult>(round_trip(result));
  back.result.failures = result.result.failures;  // the invalid UTF-8 byte was replaced
  EXPECT_EQ(back, result);

  result.result.tolerated_failures = SIZE_MAX;  // immediate: never halts
  EXPECT_EQ(to_json(result)["tolerated_failures"], nullptr);
  EXPECT_EQ(std::get<JournalResult>(round_trip(result)).result.tolerated_failures, SIZE_MAX);
}

TEST(CoreJournal, StartAndStopTimesRoundTripAndOlderJournalsReadWithout) {
  JournalHost host{{"host-1", HostOutcome::success(), seconds(42)}};
  host.record.started = milliseconds(1500);
  EXPECT_EQ(to_json(host)["started_ms"], 1500);
  EXPECT_EQ(std::get<JournalHost>(round_trip(host)), host);
  const auto older = parse_journal_line(R"({"type":"host","v":1,"host":"h","status":"succeeded",)"
                                        R"("kind":"none","reason":"","took_ms":1})");
  EXPECT_EQ(std::get<JournalHost>(older).record.started, std::nullopt)
      << "journals written before drover recorded start times";

  JournalResult result;
  result.result.status = RolloutStatus::interrupted;
  result.result.stopped_after = milliseconds(3500);
  EXPECT_EQ(to_json(result)["stopped_ms"], 3500);
  EXPECT_EQ(std::get<JournalResult>(round_trip(result)), result);
  result.result.stopped_after.reset();
  EXPECT_EQ(to_json(result)["stopped_ms"], nullptr);
  EXPECT_EQ(std::get<JournalResult>(round_trip(result)), result);
}

TEST(CoreJournal, HostKeepsEachBotsStepDurations) {
  JournalHost host{{"host-1", HostOutcome::success(), seconds(9), {}}};
  host.record.bots = {{539,
                       BotSwapOutcome::swapped,
                       std::nullopt,
                       "",
                       {1200, 150, 3000, 400, 2000, 80, 20, 5, 3410}},
                      {540,
                       BotSwapOutcome::swapped,
                       std::nullopt,
                       "",
                       {1200, 140, 2900, 380, 2000, 70, 20, 5, 3300}}};
  EXPECT_EQ(std::get<JournalHost>(round_trip(host)), host);
  const auto json = to_json(host);
  EXPECT_EQ(json["bots"][0]["timings_ms"]["create"], 150);
  EXPECT_EQ(json["bots"][1]["timings_ms"]["downtime"], 3300);
}

TEST(CoreJournal, AHostLineIsWrittenByteForByteAsJournalsAlwaysWereWritten) {
  // The line as nlohmann's initializer-list objects wrote it before the host lines were built
  // member by member (issue 11's CPU): resume and `drover show` read journals of both ages.
  JournalHost host{{"host-7",
                    HostOutcome::failure(FailureKind::bot_failed, "bot539 rolled back"),
                    seconds(9),
                    {},
                    milliseconds(1500)}};
  host.sequence = 4;
  host.record.bots = {
      {539,
       BotSwapOutcome::rolled_back,
       PreviousImage{"registry.test/tradebot:v1", "sha256:" + std::string(64, 'a'), ""},
       "",
       {1200, 150, 3000, 400, 2000, 80, 20, 5, 3410}}};
  const nlohmann::json bot = {{"bot", 539},
                              {"outcome", "rolled_back"},
                              {"from",
                               {{"ref", "registry.test/tradebot:v1"},
                                {"image_id", "sha256:" + std::string(64, 'a')},
                                {"repo_digest", nullptr}}},
                              {"repo_digest", nullptr},
                              {"timings_ms", to_json(host.record.bots[0].timings)}};
  const nlohmann::json expected = {{"type", "host"},       {"v", 1},
                                   {"host", "host-7"},     {"status", "failed"},
                                   {"kind", "bot_failed"}, {"reason", "bot539 rolled back"},
                                   {"took_ms", 9000},      {"started_ms", 1500},
                                   {"bots", {bot}},        {"seq", 4}};
  EXPECT_EQ(to_journal_line(host), expected.dump() + "\n");
}

TEST(CoreJournal, HostLinesAreTheBytesOfTheirJsonValueWhateverTheyHold) {
  // Host lines are written without building their JSON value (json_writer.h); the value is
  // still what `drover show --json` and the history print, so the two must never differ.
  const std::string odd = "bot \"539\"\tsaid \xff\xfe caf\xc3\xa9\n\\ end";
  std::vector<JournalHost> hosts;
  hosts.push_back({{"host-1", HostOutcome::success(), seconds(0), {}, std::nullopt}});
  hosts.push_back({{odd,
                    HostOutcome::failure(FailureKind::bad_output, odd),
                    milliseconds(-5),
                    {},
                    milliseconds(0)}});
  JournalHost full{{"host-3",
                    HostOutcome::failure(FailureKind::bot_failed, "bot539 rolled back"),
                    seconds(12),
                    {},
                    milliseconds(250)}};
  full.sequence = 1234567;
  full.record.bots = {{539,
                       BotSwapOutcome::swapped,
                       std::nullopt,
                       "registry.test/tradebot@sha256:" + std::string(64, 'b'),
                       {1, 2, 3, 4, 5, 6, 7, 8, 9}},
                      {540, BotSwapOutcome::rolled_back, PreviousImage{odd, "", ""}, "", {}},
                      {541,
                       BotSwapOutcome::failed,
                       PreviousImage{"registry.test/tradebot:v1", "sha256:" + std::string(64, 'a'),
                                     "registry.test/tradebot@sha256:" + std::string(64, 'c')},
                       odd,
                       {-1, 0, 0, 0, 0, 0, 0, 0, std::numeric_limits<std::int64_t>::max()}}};
  hosts.push_back(full);
  for (const auto& host : hosts) {
    auto value = host_record_to_json(host.record);
    value["seq"] = host.sequence;
    value["type"] = "host";
    value["v"] = kJournalVersion;
    EXPECT_EQ(to_journal_line(host),
              value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n")
        << host.record.host;
  }
}

TEST(CoreJournal, ReadsAHostLineWrittenBeforeTheAgentMeasuredItsSteps) {
  const auto back = std::get<JournalHost>(parse_journal_line(
      R"({"type":"host","v":1,"host":"host-1","status":"succeeded","kind":"none","reason":"",)"
      R"("took_ms":9000})"
      "\n"));
  EXPECT_EQ(back.record.host, "host-1");
  EXPECT_TRUE(back.record.bots.empty());
}

TEST(CoreJournal, RefusesWhatItCannotRead) {
  EXPECT_THROW(parse_journal_line("nope"), JournalError);
  EXPECT_THROW(parse_journal_line(R"({"type":"plan"})"), JournalError);
  EXPECT_THROW(parse_journal_line(R"({"type":"alien","v":1})"), JournalError);
  // Found by the journal fuzzer: a number no double can hold is nlohmann's out_of_range, not
  // its parse_error, and escaped as a crash.
  EXPECT_THROW(parse_journal_line(R"({"type":"host","v":8e3083})"), JournalError);
  try {
    parse_journal_line(R"({"type":"host","v":2})");
    FAIL();
  } catch (const JournalError& e) {
    EXPECT_NE(std::string(e.what()).find("journal version 2 is not 1"), std::string::npos);
  }
  try {
    parse_journal_line(R"({"type":"host","v":1,"host":"h","status":"maybe","kind":"none",)"
                       R"("reason":"","took_ms":1})");
    FAIL();
  } catch (const JournalError& e) {
    EXPECT_NE(std::string(e.what()).find("record.status"), std::string::npos) << e.what();
  }
  auto plan = to_json(JournalPlan{sample_plan()});
  plan["speed"] = "warp";
  try {
    journal_record_from_json(plan);
    FAIL();
  } catch (const JournalError& e) {
    EXPECT_NE(std::string(e.what()).find("record.speed: 'warp' is not a speed"), std::string::npos)
        << e.what();
  }
}

std::string journal_of(std::initializer_list<JournalRecord> records) {
  std::string text;
  for (const auto& record : records) {
    text += to_journal_line(record);
  }
  return text;
}

TEST(CoreJournalReplay, ResumeSkipsHostsWhoseLatestRecordSucceeded) {
  const auto plan = sample_plan();
  const auto text = journal_of(
      {JournalPlan{plan}, JournalHost{{"host-1", HostOutcome::success(), seconds(30), {}}},
       JournalHost{
           {"host-2", HostOutcome::failure(FailureKind::unreachable, "x"), seconds(3), {}}}});
  const auto replay = replay_journal(text);
  EXPECT_EQ(replay.plan, plan);
  EXPECT_FALSE(replay.ended());
  EXPECT_EQ(replay.succeeded_hosts, (std::set<HostName>{"host-1"}));
  EXPECT_EQ(replay.hosts_to_resume(), (std::vector<HostName>{"host-2"}));

  // The resumed run appends; its later records win.
  JournalResult result;
  result.result.total = 2;
  result.result.succeeded = 2;
  result.result.already_done = 1;
  const auto resumed =
      text + journal_of({JournalHost{{"host-2", HostOutcome::success(), seconds(31), {}}},
                         JournalResult{result}});
  const auto replay2 = replay_journal(resumed);
  EXPECT_TRUE(replay2.hosts_to_resume().empty());
  EXPECT_EQ(replay2.hosts.size(), 3u);
  EXPECT_TRUE(replay2.ended());
}

TEST(CoreJournalReplay, ToleratesOnlyATornLastLine) {
  const auto good = journal_of({JournalPlan{sample_plan()},
                                JournalHost{{"host-1", HostOutcome::success(), seconds(30), {}}}});
  const auto torn = good + R"({"type":"host","v":1,"host":"host-2","sta)";
  const auto replay = replay_journal(torn);
  EXPECT_TRUE(replay.torn_tail);
  EXPECT_EQ(replay.hosts.size(), 1u);

  const auto corrupt_middle = journal_of({JournalPlan{sample_plan()}}) + "garbage\n" +
                              journal_of({JournalHost{{"host-1", HostOutcome::success(), {}, {}}}});
  try {
    replay_journal(corrupt_middle);
    FAIL();
  } catch (const JournalError& e) {
    EXPECT_NE(std::string(e.what()).find("line 2:"), std::string::npos) << e.what();
  }
  EXPECT_THROW(replay_journal(good + "garbage\n"), JournalError) << "a complete bad line";
  EXPECT_THROW(replay_journal(""), JournalError);
  EXPECT_THROW(replay_journal(journal_of({JournalHost{{"h", HostOutcome::success(), {}, {}}}})),
               JournalError);
  EXPECT_THROW(replay_journal(journal_of({JournalPlan{sample_plan()}, JournalPlan{sample_plan()}})),
               JournalError);
  EXPECT_FALSE(replay_journal(good + "\n\n").torn_tail);
}

}  // namespace
}  // namespace drover::core
