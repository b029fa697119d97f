// The swap report (agent_report.h): written by `drover-agent swap`, read by drover for each
// host of a rollout.
#include <fmt/format.h>

#include "core/agent_report.h"
#include "core/agent_report_fields.h"
#include "core/agent_report_read.h"
#include "core/printable_text.h"

namespace drover::core {
namespace {

using nlohmann::json;
using report_fields::nullable;

json previous_to_json(const PreviousImage& from) {
  return {{"ref", from.ref},
          {"image_id", nullable(from.image_id)},
          {"repo_digest", nullable(from.repo_digest)}};
}

json bot_to_json(const BotSwapResult& bot) {
  return {{"bot", bot.bot},
          {"outcome", to_string(bot.outcome)},
          {"reason", nullable(bot.reason)},
          {"image_id", nullable(bot.image_id)},
          {"repo_digest", nullable(bot.repo_digest)},
          {"created_from_template", bot.created_from_template},
          {"from", bot.from ? previous_to_json(*bot.from) : json(nullptr)},
          {"timings_ms", to_json(bot.timings)},
          {"login", to_string(bot.login)},
          {"login_detail", nullable(bot.login_detail)}};
}

}  // namespace

namespace report_fields {

json recovered_to_json(const RecoveredBot& bot) {
  return {{"bot", bot.bot}, {"action", to_string(bot.action)}, {"detail", nullable(bot.detail)}};
}

}  // namespace report_fields

json to_json(const SwapReport& report) {
  json image = nullptr;
  if (report.image) {
    image = {{"ref", report.image->ref},
             {"id", nullable(report.image->id)},
             {"repo_digest", nullable(report.image->repo_digest)}};
  }
  json recovered = json::array();
  for (const auto& bot : report.recovered)
    recovered.push_back(report_fields::recovered_to_json(bot));
  json bots = json::array();
  for (const auto& bot : report.bots) bots.push_back(bot_to_json(bot));
  return {{"command", "swap"},
          {"host", report.host},
          {"ok", report.ok},
          {"image", image},
          {"jitter_ms", report.jitter_ms},
          {"free_bytes_before",
           report.free_bytes_before ? json(*report.free_bytes_before) : json(nullptr)},
          {"recovered", recovered},
          {"bots", bots},
          {"prune",
           {{"space_reclaimed", report.space_reclaimed},
            {"images_deleted", report.images_deleted},
            {"error", nullable(report.prune_error)}}},
          {"error", report_fields::error_value(report.error)}};
}

SwapReport read_swap_report(const json& document) {
  return report_reading::swap_report_of(JsonReader(document, "report"));
}

SwapReport parse_swap_report(std::string_view line) {
  return read_swap_report(report_fields::parse_line(line));
}

}  // namespace drover::core
