#pragma once
// Human-readable progress on stderr, one line at a time even when bots are swapped from
// parallel threads. stdout is reserved for the one JSON report.
#include <fmt/format.h>

#include <mutex>
#include <ostream>
#include <string>

namespace drover::agent {

class ProgressLog {
 public:
  explicit ProgressLog(std::ostream& out) : out_(out) {}

  void line(const std::string& text);
  /// "bot539: <text>"
  void bot(int bot_id, const std::string& text) { line(fmt::format("bot{}: {}", bot_id, text)); }

 private:
  std::mutex mutex_;
  std::ostream& out_;
};

}  // namespace drover::agent
