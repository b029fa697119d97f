// transport/report_reader.h against core's readers over nlohmann (core/agent_report.h), which it
// stands in for on drover's hot path: for every line, the same report or the same error.
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/agent_report.h"
#include "transport/report_reader.h"

namespace drover::transport {
namespace {

using nlohmann::json;

const std::string kImageId = "sha256:" + std::string(64, 'a');

json swap_report() {
  return json::parse(
      R"({"command":"swap","host":"ip-10-0-0-7","ok":true,"jitter_ms":250,)"
      R"("free_bytes_before":5000000000,)"
      R"("image":{"ref":"127.0.0.1:5000/tradebot:v2","id":")" +
      kImageId +
      R"(","repo_digest":"r@sha256:dd"},"recovered":[{"bot":9,"action":"removed_next","detail":"x"}],)"
      R"("bots":[{"bot":539,"outcome":"swapped","reason":"","image_id":")" +
      kImageId +
      R"(","repo_digest":"r@d","created_from_template":false,)"
      R"("from":{"ref":"r:v1","image_id":"sha256:11","repo_digest":null},)"
      R"("timings_ms":{"pull":1200,"stop":3000,"start":400,"settle":10000,"downtime":3500,"odd":1},)"
      R"("login":"logged_in","login_detail":"caf\u00e9 \"ok\""},)"
      R"({"bot":540,"outcome":"unchanged","login":"not_logged_in","from":null},)"
      R"({"bot":541,"outcome":"rolled_back","reason":"exited with code 1","login":"unknown"}],)"
      R"("prune":{"space_reclaimed":123,"images_deleted":2,"error":null},"error":null})");
}

json status_report() {
  return json::parse(
      R"({"command":"status","host":"h","ok":true,"bots":[)"
      R"({"bot":539,"present":true,"running":true,"state":"running","exit_code":0,)"
      R"("image":"r:v2","health":"healthy","restart_count":2,"image_id":")" +
      kImageId +
      R"(","repo_digests":["a@b","c@d"],"matches_expected":true,"prev_left_over":false,)"
      R"("login":"logged_in","login_detail":"healthcheck says healthy","error":null},)"
      R"({"bot":540,"present":false,"running":false,"restart_count":0,"image_id":"",)"
      R"("repo_digests":[],"matches_expected":null,"login":"not_logged_in"}],"error":null})");
}

// What reading `line` gives: the report's JSON (the writers are core's) or the error's text.
template <typename Report>
std::string outcome(const std::function<Report(std::string_view)>& read, const std::string& line) {
  try {
    return core::to_json(read(line)).dump();
  } catch (const core::AgentOutputError& e) {
    return std::string("error: ") + e.what();
  }
}

// Each change made to a copy of `base`, then dumped.
std::vector<std::string> variants(const json& base,
                                  const std::vector<std::function<void(json&)>>& changes) {
  std::vector<std::string> lines{base.dump()};
  for (const auto& change : changes) {
    auto changed = base;
    change(changed);
    lines.push_back(changed.dump());
  }
  return lines;
}

// Lines no value's dump gives: repeated keys, numbers beyond 64 bits, not JSON, not objects.
const std::vector<std::string> kRawLines = {
    R"({"command":"swap","ok":true,"ok":false,"bots":[]})",
    R"({"command":"status","ok":false,"ok":true,"bots":[],"bots":[{"bot":1,"present":false}]})",
    R"({"command":"swap","ok":true,"jitter_ms":18446744073709551615,"bots":[]})",
    R"({"command":"swap","ok":true,"jitter_ms":1e400,"bots":[]})",
    R"({"command":"swap","ok":true,"jitter_ms":-0,"bots":[]})",
    R"({"command":"swap","ok":true,"jitter_ms":2.9,"bots":[{"bot":1.0,"outcome":"swapped"}]})",
    R"({"command":"status","ok":true,"bots":[{"bot":18446744073709551615,"present":false}]})",
    R"({"command":"swap","ok":true,"bots":[],"error":{"message":"disk full","code":28}})",
    R"({"command":"status","ok":true,"bots":[],"error":[1,2.50,"x"]})",
    R"({"command":"swap")",
    R"([{"command":"swap"}])",
    R"("swap")",
    "",
    "{\"command\":\"status\",\"ok\":true,\"bots\":[],\"host\":\"\xff\"}",
};

// `read` gives what core's `read_core` gives for each of `lines` and of kRawLines.
template <typename Report>
void expect_read_as_core_reads(const std::function<Report(std::string_view)>& read,
                               const std::function<Report(std::string_view)>& read_core,
                               std::vector<std::string> lines) {
  lines.insert(lines.end(), kRawLines.begin(), kRawLines.end());
  for (const auto& line : lines) {
    EXPECT_EQ(outcome<Report>(read, line), outcome<Report>(read_core, line)) << line;
  }
}

TEST(ReportReader, ReadsEverySwapReportAsCoreDoes) {
  auto lines =
      variants(swap_report(), {[](json& j) { j.erase("ok"); },
                               [](json& j) { j["ok"] = "yes"; },
                               [](json& j) { j["command"] = "status"; },
                               [](json& j) { j.erase("command"); },
                               [](json& j) { j["bots"][2]["outcome"] = "exploded"; },
                               [](json& j) { j["bots"][1]["bot"] = 0; },
                               [](json& j) { j["bots"][1]["bot"] = "540"; },
                               [](json& j) { j["bots"][0]["timings_ms"] = 5; },
                               [](json& j) { j["bots"][0]["timings_ms"]["pull"] = "slow"; },
                               [](json& j) { j["bots"][0]["timings_ms"]["pull"] = 1e300; },
                               [](json& j) { j["bots"][0]["from"]["ref"] = 7; },
                               [](json& j) { j["bots"] = "none"; },
                               [](json& j) { j["bots"][0] = 539; },
                               [](json& j) { j["recovered"][0]["action"] = "?"; },
                               [](json& j) { j["image"] = json::array(); },
                               [](json& j) { j["prune"]["error"] = "no"; },
                               [](json& j) { j["error"] = "docker engine unreachable"; },
                               [](json& j) {
                                 j["error"] = {{"b", 1.5}, {"a", nullptr}};
                               },
                               [](json& j) { j.erase("bots"); },
                               [](json& j) { j["bots"][0]["login"] = nullptr; },
                               [](json& j) { j["host"] = nullptr; }});
  expect_read_as_core_reads<core::SwapReport>(read_swap_report_line, core::parse_swap_report,
                                              lines);
}

TEST(ReportReader, ReadsEveryStatusReportAsCoreDoes) {
  auto lines = variants(
      status_report(),
      {[](json& j) { j["bots"][0].erase("matches_expected"); },
       [](json& j) { j["bots"][0]["present"] = 1; },
       [](json& j) {
         j["bots"][0]["repo_digests"] = {"a", 2};
       },
       [](json& j) { j["bots"][0]["repo_digests"] = "a"; },
       [](json& j) { j["bots"][0]["exit_code"] = -9; },
       [](json& j) { j["bots"][0]["restart_count"] = 3.7; },
       [](json& j) { j["bots"][1]["bot"] = 100000000; },
       [](json& j) { j["bots"][1]["login"] = "maybe"; }, [](json& j) { j["command"] = "swap"; },
       [](json& j) { j["bots"][0]["state"] = false; }, [](json& j) { j["error"] = 42; }});
  expect_read_as_core_reads<core::StatusReport>(read_status_report_line, core::parse_status_report,
                                                lines);
}

TEST(ReportReader, ReadsEveryVersionReportAsCoreDoes) {
  const std::vector<std::string> lines = {
      R"({"command":"version","host":"h","ok":true,"version":"0.1.0","sha256":"ab"})",
      R"({"command":"version","version":7,"sha256":null})",
      R"({"sha256":"x","sha256":"y"})",
      R"(["sha256"])",
      "not json",
      ""};
  for (const auto& line : lines) {
    const auto got = read_version_report_line(line);
    auto document = json::parse(line, nullptr, false);
    const auto expected = core::read_version_report(document.is_discarded() ? nullptr : document);
    EXPECT_EQ(got.host, expected.host) << line;
    EXPECT_EQ(got.version, expected.version) << line;
    EXPECT_EQ(got.sha256, expected.sha256) << line;
  }
}

TEST(ReportReader, NamesTheWrongFieldWithItsPlaceInTheReport) {
  auto report = swap_report();
  report["bots"][2]["timings_ms"] = {{"pull", "slow"}};
  try {
    read_swap_report_line(report.dump());
    ADD_FAILURE() << "a report with a wrong field was read";
  } catch (const core::AgentOutputError& e) {
    EXPECT_STREQ(e.what(), "agent report: report.bots[2].timings_ms.pull: expected a number");
  }
}

}  // namespace
}  // namespace drover::transport
