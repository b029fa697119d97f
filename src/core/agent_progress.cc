#include "core/agent_progress.h"

#include <algorithm>

namespace drover::core {

std::string agent_step_text(std::string_view step) {
  return std::string(kAgentStepMarker) + std::string(step);
}

std::optional<std::string> agent_step_of(std::string_view line) {
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);  // ssh on a pty: "\r\n"
  }
  if (!line.starts_with(kAgentLogPrefix)) {
    return std::nullopt;
  }
  line.remove_prefix(kAgentLogPrefix.size());
  if (!line.starts_with(kAgentStepMarker)) {
    return std::nullopt;
  }
  line.remove_prefix(kAgentStepMarker.size());
  const bool word = !line.empty() && line.size() <= kMaxAgentStepLength &&
                    std::all_of(line.begin(), line.end(),
                                [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; });
  if (!word) {
    return std::nullopt;
  }
  return std::string(line);
}

}  // namespace drover::core
