// The agent report's enums, the conventions every report shares, and the small reports
// (version, error). The larger ones have their own files: agent_report_swap.cc,
// agent_report_status.cc (status and recover), agent_report_baseline.cc.
#include "core/agent_report.h"

#include <fmt/format.h>
#include <string.h>  // memrchr (a GNU extension, so not <cstring>)

#include "core/agent_report_fields.h"
#include "core/agent_report_read.h"
#include "core/name_table.h"
#include "core/printable_text.h"

namespace drover::core {
namespace {

using nlohmann::json;

constexpr NameTable<LoginState, 3> kLoginStateNames{{
    {LoginState::logged_in, "logged_in"},
    {LoginState::not_logged_in, "not_logged_in"},
    {LoginState::unknown, "unknown"},
}};
static_assert(covers_every_value(kLoginStateNames));

constexpr NameTable<BotSwapOutcome, 4> kBotSwapOutcomeNames{{
    {BotSwapOutcome::swapped, "swapped"},
    {BotSwapOutcome::unchanged, "unchanged"},
    {BotSwapOutcome::rolled_back, "rolled_back"},
    {BotSwapOutcome::failed, "failed"},
}};
static_assert(covers_every_value(kBotSwapOutcomeNames));

constexpr NameTable<RecoverAction, 7> kRecoverActionNames{{
    {RecoverAction::none, "none"},
    {RecoverAction::removed_next, "removed_next"},
    {RecoverAction::removed_prev, "removed_prev"},
    {RecoverAction::restored_prev, "restored_prev"},
    {RecoverAction::started, "started"},
    {RecoverAction::failed, "failed"},
    {RecoverAction::absent, "absent"},
}};
static_assert(covers_every_value(kRecoverActionNames));

}  // namespace

std::string_view to_string(LoginState state) {
  return name_of(kLoginStateNames, state);
}

LoginState parse_login_state(std::string_view text) {
  return value_named(kLoginStateNames, text).value_or(LoginState::unknown);
}

std::string_view to_string(BotSwapOutcome outcome) {
  return name_of(kBotSwapOutcomeNames, outcome);
}

std::optional<BotSwapOutcome> parse_bot_swap_outcome(std::string_view text) {
  return value_named(kBotSwapOutcomeNames, text);
}

std::string_view to_string(RecoverAction action) {
  return name_of(kRecoverActionNames, action);
}

std::optional<RecoverAction> parse_recover_action(std::string_view text) {
  return value_named(kRecoverActionNames, text);
}

namespace report_fields {

std::string bot_swap_outcome_names() {
  return names_listed(kBotSwapOutcomeNames, ", ");
}

json nullable(const std::string& text) {
  return text.empty() ? json(nullptr) : json(text);
}

json error_value(const std::optional<std::string>& error) {
  return error ? json(*error) : json(nullptr);
}

json parse_line(std::string_view line) {
  json document;
  try {
    document = json::parse(line);
  } catch (const json::exception& e) {
    // Not only parse_error: a number too large for a double ("8e3083") is out_of_range.
    const auto shown =
        line.size() > 200 ? std::string(line.substr(0, 200)) + "…" : std::string(line);
    throw AgentOutputError(
        fmt::format("agent report is not JSON ({}): {}", e.what(), printable(shown)));
  }
  if (!document.is_object()) throw AgentOutputError("agent report: expected a JSON object");
  return document;
}

void throw_output_error(const JsonShapeError& e) {
  throw AgentOutputError(fmt::format("agent report: {}", e.what()));
}

}  // namespace report_fields

std::string_view last_report_line(std::string_view stdout_text) {
  // memrchr, not rfind: glibc's is vectorized, and the report line it walks back over is a few
  // KB long in each of a deploy's tens of thousands of outputs.
  auto last_newline_before = [&](std::size_t end) {
    const void* found = memrchr(stdout_text.data(), '\n', end);
    return found == nullptr
               ? std::string_view::npos
               : static_cast<std::size_t>(static_cast<const char*>(found) - stdout_text.data());
  };
  std::size_t end = stdout_text.size();
  while (end > 0) {
    const auto start_of_line = last_newline_before(end);
    const std::size_t begin = start_of_line == std::string_view::npos ? 0 : start_of_line + 1;
    auto line = stdout_text.substr(begin, end - begin);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
        line.remove_suffix(1);
      }
      return line;
    }
    if (start_of_line == std::string_view::npos) break;
    end = start_of_line;
  }
  throw AgentOutputError("agent printed no report (its stdout is empty)");
}

json to_json(const VersionReport& report) {
  return {{"command", "version"},
          {"host", report.host},
          {"ok", true},
          {"version", report.version},
          {"sha256", report.sha256}};
}

VersionReport read_version_report(const json& document) {
  return report_reading::version_report_of(JsonReader(document, "report"));
}

json error_report(std::string_view command, std::string_view host, std::string_view error) {
  return {{"command", command},
          {"host", host},
          {"ok", false},
          {"bots", json::array()},
          {"error", error}};
}

}  // namespace drover::core
