#pragma once
// The agent's progress steps, as it writes them among its human progress lines on stderr:
//
//   drover-agent: step: pull
//
// so that a transport that streams stderr (local, ssh) can tell drover which step a host is at
// while its agent runs. stdout stays the one JSON report; these lines are informational only
// and never change a result. A step is one lower-case word: jitter, pull, create, stop, start,
// settle, login (an agent of another build may add words; drover shows any word it is given).
#include <optional>
#include <string>
#include <string_view>

namespace drover::core {

/// The agent's stderr line prefix, as agent/progress_log.h writes every line.
inline constexpr std::string_view kAgentLogPrefix = "drover-agent: ";
inline constexpr std::string_view kAgentStepMarker = "step: ";
/// A step word is at most this long; anything longer is not a step line.
inline constexpr std::size_t kMaxAgentStepLength = 16;

/// "step: pull" (the progress log adds "drover-agent: ").
std::string agent_step_text(std::string_view step);

/// The step a stderr line of the agent reports ("pull" for "drover-agent: step: pull"), or
/// nullopt for every other line, including a malformed step (not one word of a-z and '-', or
/// longer than kMaxAgentStepLength): what a host writes is never shown unchecked.
std::optional<std::string> agent_step_of(std::string_view stderr_line);

}  // namespace drover::core
