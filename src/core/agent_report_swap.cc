// The swap report (agent_report.h): written by `drover-agent swap`, read by drover for each
// host of a rollout.
#include <fmt/format.h>

#include "core/agent_report.h"
#include "core/agent_report_fields.h"
#include "core/printable_text.h"

namespace drover::core {
namespace {

using nlohmann::json;
using report_fields::nullable;
using report_fields::optional_string;

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

BotSwapOutcome outcome_of(const JsonReader& field) {
  const auto text = field.string();
  if (auto outcome = parse_bot_swap_outcome(text)) return *outcome;
  field.fail(fmt::format("\"{}\" is not one of {}", printable(text),
                         report_fields::bot_swap_outcome_names()));
}

LoginState login_of(const JsonReader& object) {
  auto field = object.maybe("login");
  return field ? parse_login_state(field->string()) : LoginState::unknown;
}

std::int64_t integer_or_zero(const JsonReader& object, const char* key) {
  auto field = object.maybe(key);
  return field ? field->integer() : 0;
}

BotSwapResult bot_from(const JsonReader& item) {
  BotSwapResult bot;
  bot.bot = item.at("bot").bot_id();
  bot.outcome = outcome_of(item.at("outcome"));
  bot.reason = optional_string(item, "reason");
  bot.image_id = optional_string(item, "image_id");
  bot.repo_digest = optional_string(item, "repo_digest");
  if (auto made = item.maybe("created_from_template")) bot.created_from_template = made->boolean();
  // Absent from agents older than the field, null for a bot that had no container.
  if (auto from = item.maybe("from")) {
    bot.from = PreviousImage{optional_string(*from, "ref"), optional_string(*from, "image_id"),
                             optional_string(*from, "repo_digest")};
  }
  if (auto timings = item.maybe("timings_ms")) bot.timings = read_swap_timings(*timings);
  bot.login = login_of(item);
  bot.login_detail = optional_string(item, "login_detail");
  return bot;
}

}  // namespace

namespace report_fields {

json recovered_to_json(const RecoveredBot& bot) {
  return {{"bot", bot.bot}, {"action", to_string(bot.action)}, {"detail", nullable(bot.detail)}};
}

RecoveredBot recovered_from(const JsonReader& item) {
  RecoveredBot bot;
  bot.bot = item.at("bot").bot_id();
  const auto action = item.at("action");
  const auto text = action.string();
  const auto parsed = parse_recover_action(text);
  if (!parsed) action.fail(fmt::format("\"{}\" is not a recover action", printable(text)));
  bot.action = *parsed;
  bot.detail = optional_string(item, "detail");
  return bot;
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
  return report_fields::reading([&] {
    const JsonReader root(document, "report");
    report_fields::expect_command(root, "swap");
    SwapReport report;
    report.host = optional_string(root, "host");
    report.ok = root.at("ok").boolean();
    if (auto image = root.maybe("image")) {
      report.image = SwapImage{optional_string(*image, "ref"), optional_string(*image, "id"),
                               optional_string(*image, "repo_digest")};
    }
    report.jitter_ms = integer_or_zero(root, "jitter_ms");
    if (auto free = root.maybe("free_bytes_before")) report.free_bytes_before = free->integer();
    if (auto recovered = root.maybe("recovered")) {
      for (const auto& item : recovered->array()) {
        report.recovered.push_back(report_fields::recovered_from(item));
      }
    }
    if (auto bots = root.maybe("bots")) {
      for (const auto& item : bots->array()) report.bots.push_back(bot_from(item));
    }
    if (auto prune = root.maybe("prune")) {
      report.space_reclaimed = integer_or_zero(*prune, "space_reclaimed");
      report.images_deleted = integer_or_zero(*prune, "images_deleted");
      report.prune_error = optional_string(*prune, "error");
    }
    report.error = report_fields::error_of(root);
    return report;
  });
}

SwapReport parse_swap_report(std::string_view line) {
  return read_swap_report(report_fields::parse_line(line));
}

}  // namespace drover::core
