#pragma once
// Internal to the agent report's reader and writer (agent_report*.cc): the conventions every
// report shares, so that each is written once. Not part of the protocol's interface.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/agent_report.h"
#include "core/json_reader.h"

namespace drover::core::report_fields {

/// An empty string goes on the wire as null.
nlohmann::json nullable(const std::string& text);
nlohmann::json error_value(const std::optional<std::string>& error);

/// Parses one line into a JSON object; throws AgentOutputError when it is not one.
nlohmann::json parse_line(std::string_view line);

/// "swapped, unchanged, rolled_back, failed": the outcomes, for messages.
std::string bot_swap_outcome_names();

/// One bot of a swap's "recovered" list or of a recover report.
nlohmann::json recovered_to_json(const RecoveredBot& bot);

[[noreturn]] void throw_output_error(const JsonShapeError& e);

/// Runs `read` and turns a JsonShapeError into AgentOutputError ("agent report: <path>: …"):
/// for the scheduler every shape error is "bad output" from a host.
template <typename Read>
auto reading(Read read) {
  try {
    return read();
  } catch (const JsonShapeError& e) {
    throw_output_error(e);
  }
}

}  // namespace drover::core::report_fields
