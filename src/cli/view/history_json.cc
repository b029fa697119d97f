#include "cli/view/history_json.h"

#include <map>

#include "cli/view/history_text.h"
#include "core/deploy_outcome.h"
#include "core/journal_record.h"

namespace drover::cli {
namespace {

using nlohmann::json;

json nullable(const std::string& text) {
  return text.empty() ? json(nullptr) : json(text);
}

json summary(const StoredDeploy& deploy) {
  const auto& replay = deploy.replay;
  const auto& plan = replay.plan;
  const auto tally = tally_hosts(replay);
  json result = nullptr;
  if (replay.result) {
    result = {{"status", core::to_string(replay.result->result.status)},
              {"exit_code", core::to_int(replay.result->exit_code)},
              {"finished_at", replay.result->finished_at}};
  }
  json verification = nullptr;
  if (replay.verification) {
    const auto& report = replay.verification->report;
    verification = {{"total", report.total},
                    {"on_version_count", report.on_version.size()},
                    {"logged_in_count", report.logged_in.size()},
                    {"stale", report.stale},
                    {"down", report.down},
                    {"unanswered", report.unanswered},
                    {"not_logged_in", replay.verification->retry
                                          ? replay.verification->retry->still_not_logged_in
                                          : report.not_logged_in}};
  }
  const auto& target = plan.selection.target;
  return {{"deploy_id", deploy.deploy_id},
          {"kind", plan.is_rollback() ? "rollback" : "deploy"},
          {"created_at", plan.created_at},
          {"operator", nullable(deploy.origin.operator_name)},
          {"command", nullable(deploy.origin.command)},
          {"target",
           {{"kind", core::to_string(target.kind)},
            {"bot", target.bot ? json(*target.bot) : json(nullptr)}}},
          {"speed", core::to_string(plan.speed)},
          {"image", plan.image},
          {"pinned_image", plan.pinned_image},
          {"rollback", plan.rollback ? core::rollback_to_json(*plan.rollback) : json(nullptr)},
          {"hosts",
           {{"total", tally.total},
            {"ok", tally.ok},
            {"failed", tally.failed},
            {"not_finished", tally.not_finished}}},
          {"result", result},
          {"outcome", outcome_of(replay)},
          {"verification", verification}};
}

}  // namespace

std::string outcome_of(const core::JournalReplay& replay) {
  if (!replay.result) return "unfinished";
  return std::string(
      core::to_string(core::deploy_outcome(replay.result->result, replay.result->exit_code)));
}

json history_json(const std::string& fleet, const std::vector<StoredDeploy>& deploys,
                  std::size_t max_rows, const std::vector<std::string>& warnings) {
  json list = json::array();
  for (std::size_t i = 0; i < deploys.size() && i < max_rows; ++i) {
    list.push_back(summary(deploys[i]));
  }
  return {{"fleet", fleet},
          {"deploys", list},
          {"not_shown", deploys.size() - list.size()},
          {"warnings", warnings}};
}

json deploy_json(const StoredDeploy& deploy) {
  auto document = summary(deploy);
  const auto& replay = deploy.replay;
  document["plan"] = core::plan_to_json(replay.plan);
  json records = json::array();
  std::map<core::HostName, json> latest;
  for (const auto& record : replay.hosts) {
    records.push_back(core::host_record_to_json(record));
    latest[record.host] = records.back();
  }
  json planned = json::array();
  for (const auto& host : replay.plan.selection.hosts) {
    const auto found = latest.find(host.name);
    planned.push_back({{"host", host.name},
                       {"bots", host.bots},
                       {"latest", found == latest.end() ? json(nullptr) : found->second}});
  }
  document["host_records"] = records;
  document["planned_hosts"] = planned;
  json result = nullptr;
  if (replay.result) {
    result = core::result_to_json(replay.result->result);
    result["exit_code"] = core::to_int(replay.result->exit_code);
    result["finished_at"] = replay.result->finished_at;
  }
  document["result_detail"] = result;
  document["verification_report"] =
      replay.verification ? core::verification_to_json(replay.verification->report) : json(nullptr);
  document["retry"] = replay.verification && replay.verification->retry
                          ? core::retry_to_json(*replay.verification->retry)
                          : json(nullptr);
  document["torn_tail"] = replay.torn_tail;
  document["warnings"] = deploy.warnings;
  return document;
}

}  // namespace drover::cli
