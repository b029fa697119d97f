// The status and recover reports (agent_report.h): what runs for each bot, as drover's verify
// reads it, and what `drover-agent recover` repaired.
#include "core/agent_report.h"
#include "core/agent_report_fields.h"
#include "core/agent_report_read.h"

namespace drover::core {
namespace {

using nlohmann::json;
using report_fields::nullable;

json bot_to_json(const BotStatus& bot) {
  return {
      {"bot", bot.bot},
      {"present", bot.present},
      {"running", bot.running},
      {"state", nullable(bot.state)},
      {"exit_code", bot.exit_code},
      {"image", nullable(bot.image)},
      {"health", nullable(bot.health)},
      {"restart_count", bot.restart_count},
      {"image_id", nullable(bot.image_id)},
      {"repo_digests", bot.repo_digests},
      {"matches_expected", bot.on_expected_image ? json(*bot.on_expected_image) : json(nullptr)},
      {"prev_left_over", bot.prev_left_over},
      {"login", to_string(bot.login)},
      {"login_detail", nullable(bot.login_detail)},
      {"error", nullable(bot.error)}};
}

// The status and recover reports share their frame: command, host, ok, bots, error.
template <typename Report, typename BotToJson>
json framed(std::string_view command, const Report& report, BotToJson bot_to_json) {
  json bots = json::array();
  for (const auto& bot : report.bots) {
    bots.push_back(bot_to_json(bot));
  }
  return {{"command", command},
          {"host", report.host},
          {"ok", report.ok},
          {"bots", bots},
          {"error", report_fields::error_value(report.error)}};
}

}  // namespace

json to_json(const StatusReport& report) {
  return framed("status", report, bot_to_json);
}

StatusReport read_status_report(const json& document) {
  return report_reading::status_report_of(JsonReader(document, "report"));
}

StatusReport parse_status_report(std::string_view line) {
  return read_status_report(report_fields::parse_line(line));
}

json to_json(const RecoverReport& report) {
  return framed("recover", report, report_fields::recovered_to_json);
}

RecoverReport read_recover_report(const json& document) {
  return report_reading::recover_report_of(JsonReader(document, "report"));
}

}  // namespace drover::core
