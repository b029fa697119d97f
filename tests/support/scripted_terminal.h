#pragma once
// A fake cli::Terminal: interactive or not as the test says, answering each prompt with the
// next scripted answer (end of input once they run out), and keeping everything drover wrote:
// stdout, stderr, the prompts it asked and every status line it drew. Thread-safe.
#include <atomic>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cli/view/terminal.h"

namespace drover::testing {

class ScriptedTerminal final : public cli::Terminal {
 public:
  explicit ScriptedTerminal(bool interactive = false) : interactive_(interactive) {}

  /// Whether drover finds a terminal on stdin and stdout (prompts, the live bar).
  void set_interactive(bool interactive) { interactive_ = interactive; }
  /// Queues the answer to the next prompt still unanswered.
  void will_answer(std::string answer);

  bool interactive() override { return interactive_; }
  /// 80 unless a test says otherwise.
  void set_width(std::size_t width) { width_ = width; }
  std::size_t width() override { return width_; }
  std::optional<std::string> ask(const std::string& prompt) override;
  void print(const std::string& text) override;
  void status_line(const std::string& text) override;
  void end_status_line() override {}
  void error(const std::string& text) override;
  void hold() override { ++holds_; }
  void release() override {
    --holds_;
    ++releases_;
  }

  std::string out() const;
  /// Holds not yet released (0 when every hold was), and the releases so far.
  int open_holds() const { return holds_; }
  std::size_t releases() const { return releases_; }
  std::string err() const;
  std::vector<std::string> prompts() const;
  std::vector<std::string> status_lines() const;

 private:
  std::atomic<bool> interactive_;
  std::atomic<std::size_t> width_ = 80;
  std::atomic<int> holds_ = 0;
  std::atomic<std::size_t> releases_ = 0;
  mutable std::mutex mutex_;
  std::deque<std::string> answers_;
  std::string out_;
  std::string err_;
  std::vector<std::string> prompts_;
  std::vector<std::string> status_lines_;
};

}  // namespace drover::testing
