#pragma once
// Human-readable progress on stderr, one line at a time even when bots are swapped from
// parallel threads. stdout is reserved for the one JSON report. Step lines (step()) are the
// machine-readable part drover streams for its live view.
#include <fmt/format.h>

#include <mutex>
#include <ostream>
#include <string>
#include <string_view>

#include "core/agent_progress.h"

namespace drover::agent {

class ProgressLog {
 public:
  explicit ProgressLog(std::ostream& out) : out_(out) {}

  void line(const std::string& text);
  /// "bot539: <text>"
  void bot(int bot_id, const std::string& text) { line(fmt::format("bot{}: {}", bot_id, text)); }
  /// "step: <word>": the step the host is at, for drover's live view (core/agent_progress.h).
  void step(std::string_view word) { line(core::agent_step_text(word)); }

 private:
  std::mutex mutex_;
  std::ostream& out_;
};

}  // namespace drover::agent
