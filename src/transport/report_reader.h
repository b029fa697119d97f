#pragma once
// The agent's hot reports read straight from simdjson's parsed document into drover's structs:
// a 10,000-host deploy reads 10,000 version, swap and status reports each, and building an
// nlohmann value of each first, then walking it, was a third of drover's CPU (README, issue 11).
// The rules are core's own (core/agent_report_read.h, written once for any reader), and so are
// the errors: a shape error names the field ("agent report: report.bots[2].outcome: …"). A line
// simdjson refuses goes to core's nlohmann reader, which stays the judge of what is JSON.
#include <string_view>

#include "core/agent_report.h"

namespace drover::transport {

/// Each throws core::AgentOutputError when `line` is not such a report, as core's
/// parse_swap_report and parse_status_report do.
core::SwapReport read_swap_report_line(std::string_view line);
core::StatusReport read_status_report_line(std::string_view line);
/// Lenient, as core::read_version_report: what is missing reads as "".
core::VersionReport read_version_report_line(std::string_view line);

}  // namespace drover::transport
