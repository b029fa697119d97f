#include "core/agent_report.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/json_reader.h"
#include "core/printable_text.h"

namespace drover::core {

namespace {

using nlohmann::json;

std::string optional_string(const JsonReader& object, const char* key) {
  auto field = object.maybe(key);
  return field ? field->string() : std::string();
}

json parse_line(std::string_view line, std::string_view command) {
  json document;
  try {
    document = json::parse(line);
  } catch (const json::parse_error& e) {
    const auto shown =
        line.size() > 200 ? std::string(line.substr(0, 200)) + "…" : std::string(line);
    throw AgentOutputError(
        fmt::format("agent report is not JSON ({}): {}", e.what(), printable(shown)));
  }
  if (!document.is_object()) {
    throw AgentOutputError("agent report: expected a JSON object");
  }
  const JsonReader root(document, "report");
  const auto actual = root.at("command").string();
  if (actual != command) {
    root.at("command").fail(fmt::format("expected \"{}\", got \"{}\"", command, printable(actual)));
  }
  return document;
}

BotSwapOutcome parse_outcome(const JsonReader& field) {
  const auto text = field.string();
  for (auto outcome : {BotSwapOutcome::swapped, BotSwapOutcome::unchanged,
                       BotSwapOutcome::rolled_back, BotSwapOutcome::failed}) {
    if (to_string(outcome) == text) {
      return outcome;
    }
  }
  field.fail(
      fmt::format("\"{}\" is not one of swapped, unchanged, rolled_back, failed", printable(text)));
}

LoginState login_of(const JsonReader& object) {
  auto field = object.maybe("login");
  return field ? parse_login_state(field->string()) : LoginState::unknown;
}

std::optional<std::string> error_of(const JsonReader& root) {
  auto field = root.maybe("error");
  if (!field) {
    return std::nullopt;
  }
  if (field->raw().is_string()) {
    return field->string();
  }
  // Some agents report {"error":{"message":…}}; keep its text rather than failing the parse.
  return field->raw().dump();
}

}  // namespace

std::string_view to_string(LoginState state) {
  switch (state) {
    case LoginState::logged_in:
      return "logged_in";
    case LoginState::not_logged_in:
      return "not_logged_in";
    case LoginState::unknown:
      return "unknown";
  }
  return "unknown";
}

LoginState parse_login_state(std::string_view text) {
  if (text == "logged_in") {
    return LoginState::logged_in;
  }
  if (text == "not_logged_in") {
    return LoginState::not_logged_in;
  }
  return LoginState::unknown;
}

std::string_view to_string(BotSwapOutcome outcome) {
  switch (outcome) {
    case BotSwapOutcome::swapped:
      return "swapped";
    case BotSwapOutcome::unchanged:
      return "unchanged";
    case BotSwapOutcome::rolled_back:
      return "rolled_back";
    case BotSwapOutcome::failed:
      return "failed";
  }
  return "failed";
}

std::string_view last_report_line(std::string_view stdout_text) {
  std::size_t end = stdout_text.size();
  while (end > 0) {
    const auto start_of_line = stdout_text.rfind('\n', end - 1);
    const std::size_t begin = start_of_line == std::string_view::npos ? 0 : start_of_line + 1;
    auto line = stdout_text.substr(begin, end - begin);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
        line.remove_suffix(1);
      }
      return line;
    }
    if (start_of_line == std::string_view::npos) {
      break;
    }
    end = start_of_line;
  }
  throw AgentOutputError("agent printed no report (its stdout is empty)");
}

namespace {

SwapReport read_swap_report(std::string_view line) {
  const json document = parse_line(line, "swap");
  const JsonReader root(document, "report");
  SwapReport report;
  report.host = optional_string(root, "host");
  report.ok = root.at("ok").boolean();
  if (auto image = root.maybe("image")) {
    report.image = SwapImage{optional_string(*image, "ref"), optional_string(*image, "id"),
                             optional_string(*image, "repo_digest")};
  }
  if (auto bots = root.maybe("bots")) {
    for (const auto& item : bots->array()) {
      BotSwapResult bot;
      bot.bot = item.at("bot").bot_id();
      bot.outcome = parse_outcome(item.at("outcome"));
      bot.reason = optional_string(item, "reason");
      bot.image_id = optional_string(item, "image_id");
      bot.repo_digest = optional_string(item, "repo_digest");
      if (auto timings = item.maybe("timings_ms")) {
        auto ms = [&](const char* key) {
          auto field = timings->maybe(key);
          return field ? field->integer() : 0;
        };
        bot.timings = {ms("pull"), ms("stop"), ms("start"), ms("settle"), ms("downtime")};
      }
      bot.login = login_of(item);
      report.bots.push_back(std::move(bot));
    }
  }
  if (auto prune = root.maybe("prune")) {
    if (auto reclaimed = prune->maybe("space_reclaimed")) {
      report.space_reclaimed = reclaimed->integer();
    }
    if (auto deleted = prune->maybe("images_deleted")) {
      report.images_deleted = deleted->integer();
    }
  }
  report.error = error_of(root);
  return report;
}

StatusReport read_status_report(std::string_view line) {
  const json document = parse_line(line, "status");
  const JsonReader root(document, "report");
  StatusReport report;
  report.host = optional_string(root, "host");
  report.ok = root.at("ok").boolean();
  if (auto bots = root.maybe("bots")) {
    for (const auto& item : bots->array()) {
      BotStatus bot;
      bot.bot = item.at("bot").bot_id();
      bot.present = item.at("present").boolean();
      bot.running = bot.present && item.maybe("running") && item.at("running").boolean();
      bot.state = optional_string(item, "state");
      if (auto code = item.maybe("exit_code")) bot.exit_code = static_cast<int>(code->integer());
      bot.image = optional_string(item, "image");
      if (auto restarts = item.maybe("restart_count")) {
        bot.restart_count = static_cast<int>(restarts->integer());
      }
      bot.image_id = optional_string(item, "image_id");
      if (auto digests = item.maybe("repo_digests")) {
        for (const auto& digest : digests->array()) {
          bot.repo_digests.push_back(digest.string());
        }
      }
      // Without a container there is nothing to compare; otherwise the agent must say.
      bot.matches_expected = bot.present && item.at("matches_expected").boolean();
      bot.login = login_of(item);
      bot.login_detail = optional_string(item, "login_detail");
      report.bots.push_back(std::move(bot));
    }
  }
  report.error = error_of(root);
  return report;
}

}  // namespace

// Shape errors become AgentOutputError: for the scheduler it is all "bad output" from a host.
SwapReport parse_swap_report(std::string_view line) {
  try {
    return read_swap_report(line);
  } catch (const JsonShapeError& e) {
    throw AgentOutputError(fmt::format("agent report: {}", e.what()));
  }
}

StatusReport parse_status_report(std::string_view line) {
  try {
    return read_status_report(line);
  } catch (const JsonShapeError& e) {
    throw AgentOutputError(fmt::format("agent report: {}", e.what()));
  }
}

}  // namespace drover::core
