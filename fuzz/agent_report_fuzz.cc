// The agent's stdout as drover reads it (transport/agent_output.cc, then core/agent_report.h):
// the last non-blank line, parsed as JSON, read as each kind of report. Whatever a broken or
// hostile agent prints, the readers throw AgentOutputError (the host becomes bad_output) or
// return a report that writes and reads back the same; any other exception would escape the
// callers, which catch AgentOutputError only.
#include <cstdint>
#include <nlohmann/json.hpp>

#include "core/agent_report.h"
#include "fuzz_check.h"

namespace {

using namespace drover;

// Reads `document` with `read`; when it is a report, writing it and reading it back gives it
// again (the protocol's round trip).
template <typename Read>
void read_and_round_trip(const nlohmann::json& document, Read read, const char* invariant) {
  try {
    const auto report = read(document);
    fuzz::require(read(core::to_json(report)) == report, invariant);
  } catch (const core::AgentOutputError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view line;
  try {
    line = core::last_report_line(fuzz::as_text(data, size));
  } catch (const core::AgentOutputError&) {
    return 0;
  }
  const auto document = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    return 0;  // drover reads only an object as a report (transport/agent_output.cc)
  }

  read_and_round_trip(document, core::read_swap_report, "swap report round trip");
  read_and_round_trip(document, core::read_status_report, "status report round trip");
  read_and_round_trip(document, core::read_recover_report, "recover report round trip");
  read_and_round_trip(document, core::read_baseline_report, "baseline report round trip");
  // Lenient by contract: any object is a version report (the drift guard judges it).
  const auto version = core::read_version_report(document);
  fuzz::require(core::read_version_report(core::to_json(version)) == version,
                "version report round trip");
  try {
    fuzz::require(core::parse_swap_report(line) == core::read_swap_report(document),
                  "parse_swap_report(line) == read_swap_report(json)");
  } catch (const core::AgentOutputError&) {
  }
  return 0;
}
