#pragma once
// How drover reads the agent's reports (agent_report.h), written once for any reader of a
// parsed JSON document. A reader is core::JsonReader (over nlohmann, which the journal and the
// tests use) or another with the same members: at, maybe, boolean, string, integer, bot_id,
// array, strings, fail, is_string, is_object, json_text. drover reads a 10,000-host deploy's
// 30,000 reports straight from simdjson's document (transport/report_reader.h) with the same
// rules and the same error paths, never building an nlohmann value for them (README, issue 11).
//
// Every shape error is a JsonShapeError naming the field ("report.bots[2].outcome: …");
// `reading` turns it into AgentOutputError for the scheduler.
#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/agent_report.h"
#include "core/agent_report_fields.h"
#include "core/json_reader.h"
#include "core/printable_text.h"
#include "core/swap_timings.h"

namespace drover::core::report_reading {

/// The string at `key`, or "" when it is missing or null.
template <typename Reader>
std::string optional_string(const Reader& object, const char* key) {
  auto field = object.maybe(key);
  return field ? field->string() : std::string();
}

/// The report's "error": a string, or another value's JSON text; nullopt when missing or null.
template <typename Reader>
std::optional<std::string> error_of(const Reader& root) {
  auto field = root.maybe("error");
  if (!field) {
    return std::nullopt;
  }
  if (field->is_string()) {
    return field->string();
  }
  // Some agents report {"error":{"message":…}}; keep its text rather than failing the parse.
  return field->json_text();
}

/// Checks that the report's "command" is `command`; throws JsonShapeError otherwise.
template <typename Reader>
void expect_command(const Reader& root, std::string_view command) {
  const auto field = root.at("command");
  const auto actual = field.string();
  if (actual != command) {
    field.fail(fmt::format("expected \"{}\", got \"{}\"", command, printable(actual)));
  }
}

template <typename Reader>
std::int64_t integer_or_zero(const Reader& object, const char* key) {
  auto field = object.maybe(key);
  return field ? field->integer() : 0;
}

template <typename Reader>
LoginState login_of(const Reader& object) {
  auto field = object.maybe("login");
  return field ? parse_login_state(field->string()) : LoginState::unknown;
}

// The status report's bots: what runs for each, as drover's verify reads it.
template <typename Reader>
BotStatus bot_status_of(const Reader& item) {
  BotStatus bot;
  bot.bot = item.at("bot").bot_id();
  bot.present = item.at("present").boolean();
  if (bot.present) {
    if (auto running = item.maybe("running")) {
      bot.running = running->boolean();
    }
  }
  bot.state = optional_string(item, "state");
  if (auto code = item.maybe("exit_code")) {
    bot.exit_code = static_cast<int>(code->integer());
  }
  bot.image = optional_string(item, "image");
  bot.health = optional_string(item, "health");
  if (auto restarts = item.maybe("restart_count")) {
    bot.restart_count = static_cast<int>(restarts->integer());
  }
  bot.image_id = optional_string(item, "image_id");
  if (auto digests = item.maybe("repo_digests")) {
    bot.repo_digests = digests->strings();
  }
  // Without a container there is nothing to compare; otherwise the agent must say.
  if (bot.present) {
    bot.on_expected_image = item.at("matches_expected").boolean();
  } else if (auto matches = item.maybe("matches_expected")) {
    bot.on_expected_image = matches->boolean();
  }
  if (auto left = item.maybe("prev_left_over")) {
    bot.prev_left_over = left->boolean();
  }
  if (auto login = item.maybe("login")) {
    bot.login = parse_login_state(login->string());
  }
  bot.login_detail = optional_string(item, "login_detail");
  bot.error = optional_string(item, "error");
  return bot;
}

template <typename Reader>
RecoveredBot recovered_of(const Reader& item) {
  RecoveredBot bot;
  bot.bot = item.at("bot").bot_id();
  const auto action = item.at("action");
  const auto text = action.string();
  const auto parsed = parse_recover_action(text);
  if (!parsed) {
    action.fail(fmt::format("\"{}\" is not a recover action", printable(text)));
  }
  bot.action = *parsed;
  bot.detail = optional_string(item, "detail");
  return bot;
}

// The status and recover reports share their frame: command, host, ok, bots, error.
template <typename Report, typename Reader, typename BotOf>
Report framed_report_of(const Reader& root, std::string_view command, BotOf bot_of) {
  return report_fields::reading([&] {
    expect_command(root, command);
    Report report;
    report.host = optional_string(root, "host");
    report.ok = root.at("ok").boolean();
    if (auto bots = root.maybe("bots")) {
      for (const auto& item : bots->array()) {
        report.bots.push_back(bot_of(item));
      }
    }
    report.error = error_of(root);
    return report;
  });
}

template <typename Reader>
StatusReport status_report_of(const Reader& root) {
  return framed_report_of<StatusReport>(root, "status",
                                        [](const Reader& item) { return bot_status_of(item); });
}

template <typename Reader>
RecoverReport recover_report_of(const Reader& root) {
  return framed_report_of<RecoverReport>(root, "recover",
                                         [](const Reader& item) { return recovered_of(item); });
}

template <typename Reader>
BotSwapOutcome swap_outcome_of(const Reader& field) {
  const auto text = field.string();
  if (auto outcome = parse_bot_swap_outcome(text)) {
    return *outcome;
  }
  field.fail(fmt::format("\"{}\" is not one of {}", printable(text),
                         report_fields::bot_swap_outcome_names()));
}

template <typename Reader>
BotSwapResult bot_swap_of(const Reader& item) {
  BotSwapResult bot;
  bot.bot = item.at("bot").bot_id();
  bot.outcome = swap_outcome_of(item.at("outcome"));
  bot.reason = optional_string(item, "reason");
  bot.image_id = optional_string(item, "image_id");
  bot.repo_digest = optional_string(item, "repo_digest");
  if (auto made = item.maybe("created_from_template")) {
    bot.created_from_template = made->boolean();
  }
  // Absent from agents older than the field, null for a bot that had no container.
  if (auto from = item.maybe("from")) {
    bot.from = PreviousImage{optional_string(*from, "ref"), optional_string(*from, "image_id"),
                             optional_string(*from, "repo_digest")};
  }
  if (auto timings = item.maybe("timings_ms")) {
    bot.timings = read_swap_timings(*timings);
  }
  bot.login = login_of(item);
  bot.login_detail = optional_string(item, "login_detail");
  return bot;
}

template <typename Reader>
SwapReport swap_report_of(const Reader& root) {
  return report_fields::reading([&] {
    expect_command(root, "swap");
    SwapReport report;
    report.host = optional_string(root, "host");
    report.ok = root.at("ok").boolean();
    if (auto image = root.maybe("image")) {
      report.image = SwapImage{optional_string(*image, "ref"), optional_string(*image, "id"),
                               optional_string(*image, "repo_digest")};
    }
    report.jitter_ms = integer_or_zero(root, "jitter_ms");
    if (auto free = root.maybe("free_bytes_before")) {
      report.free_bytes_before = free->integer();
    }
    if (auto recovered = root.maybe("recovered")) {
      for (const auto& item : recovered->array()) {
        report.recovered.push_back(recovered_of(item));
      }
    }
    if (auto bots = root.maybe("bots")) {
      for (const auto& item : bots->array()) {
        report.bots.push_back(bot_swap_of(item));
      }
    }
    if (auto prune = root.maybe("prune")) {
      report.space_reclaimed = integer_or_zero(*prune, "space_reclaimed");
      report.images_deleted = integer_or_zero(*prune, "images_deleted");
      report.prune_error = optional_string(*prune, "error");
    }
    report.error = error_of(root);
    return report;
  });
}

/// Lenient: a version report is read for its sha256, and an agent too old to send one is
/// "drifted", not unreadable (agent_drift.h).
template <typename Reader>
VersionReport version_report_of(const Reader& root) {
  auto text = [&](const char* key) {
    if (!root.is_object()) {
      return std::string();
    }
    auto field = root.maybe(key);
    return field && field->is_string() ? field->string() : std::string();
  };
  return {text("host"), text("version"), text("sha256")};
}

}  // namespace drover::core::report_reading
