// The status and recover reports (agent_report.h): what runs for each bot, as drover's verify
// reads it, and what `drover-agent recover` repaired.
#include "core/agent_report.h"
#include "core/agent_report_fields.h"

namespace drover::core {
namespace {

using nlohmann::json;
using report_fields::nullable;
using report_fields::optional_string;

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

BotStatus bot_from(const JsonReader& item) {
  BotStatus bot;
  bot.bot = item.at("bot").bot_id();
  bot.present = item.at("present").boolean();
  if (bot.present) {
    if (auto running = item.maybe("running")) bot.running = running->boolean();
  }
  bot.state = optional_string(item, "state");
  if (auto code = item.maybe("exit_code")) bot.exit_code = static_cast<int>(code->integer());
  bot.image = optional_string(item, "image");
  bot.health = optional_string(item, "health");
  if (auto restarts = item.maybe("restart_count")) {
    bot.restart_count = static_cast<int>(restarts->integer());
  }
  bot.image_id = optional_string(item, "image_id");
  if (auto digests = item.maybe("repo_digests")) bot.repo_digests = digests->strings();
  // Without a container there is nothing to compare; otherwise the agent must say.
  if (bot.present) {
    bot.on_expected_image = item.at("matches_expected").boolean();
  } else if (auto matches = item.maybe("matches_expected")) {
    bot.on_expected_image = matches->boolean();
  }
  if (auto left = item.maybe("prev_left_over")) bot.prev_left_over = left->boolean();
  if (auto login = item.maybe("login")) bot.login = parse_login_state(login->string());
  bot.login_detail = optional_string(item, "login_detail");
  bot.error = optional_string(item, "error");
  return bot;
}

// The status and recover reports share their frame: command, host, ok, bots, error.
template <typename Report, typename BotToJson>
json framed(std::string_view command, const Report& report, BotToJson bot_to_json) {
  json bots = json::array();
  for (const auto& bot : report.bots) bots.push_back(bot_to_json(bot));
  return {{"command", command},
          {"host", report.host},
          {"ok", report.ok},
          {"bots", bots},
          {"error", report_fields::error_value(report.error)}};
}

template <typename Report, typename BotFrom>
Report read_framed(const json& document, std::string_view command, BotFrom bot_from) {
  return report_fields::reading([&] {
    const JsonReader root(document, "report");
    report_fields::expect_command(root, command);
    Report report;
    report.host = optional_string(root, "host");
    report.ok = root.at("ok").boolean();
    if (auto bots = root.maybe("bots")) {
      for (const auto& item : bots->array()) report.bots.push_back(bot_from(item));
    }
    report.error = report_fields::error_of(root);
    return report;
  });
}

}  // namespace

json to_json(const StatusReport& report) {
  return framed("status", report, bot_to_json);
}

StatusReport read_status_report(const json& document) {
  return read_framed<StatusReport>(document, "status", bot_from);
}

StatusReport parse_status_report(std::string_view line) {
  return read_status_report(report_fields::parse_line(line));
}

json to_json(const RecoverReport& report) {
  return framed("recover", report, report_fields::recovered_to_json);
}

RecoverReport read_recover_report(const json& document) {
  return read_framed<RecoverReport>(document, "recover", report_fields::recovered_from);
}

}  // namespace drover::core
