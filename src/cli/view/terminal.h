#pragma once
// The operator's terminal, as an interface: prompts, the plan and reports on stdout, a status
// line redrawn in place (the progress bar, the countdown) and errors on stderr. The real side
// is stdin/stdout/stderr; tests drive the real binary through a pseudo-terminal.
#include <optional>
#include <string>

namespace drover::cli {

class Terminal {
 public:
  virtual ~Terminal() = default;
  /// Both stdin and stdout are terminals: prompts and a live status line make sense.
  virtual bool interactive() = 0;
  /// Prints `prompt` and reads one line (without its newline); nullopt at end of input.
  virtual std::optional<std::string> ask(const std::string& prompt) = 0;
  virtual void print(const std::string& text) = 0;
  /// Replaces the current status line (a terminal redraws it in place).
  virtual void status_line(const std::string& text) = 0;
  /// Ends the status line so that the next print starts on a fresh line.
  virtual void end_status_line() = 0;
  virtual void error(const std::string& text) = 0;
};

/// stdin/stdout/stderr. Prompts go to stderr when stdout carries JSON events.
class StdTerminal final : public Terminal {
 public:
  explicit StdTerminal(bool prompts_on_stderr = false) : prompts_on_stderr_(prompts_on_stderr) {}
  bool interactive() override;
  std::optional<std::string> ask(const std::string& prompt) override;
  void print(const std::string& text) override;
  void status_line(const std::string& text) override;
  void end_status_line() override;
  void error(const std::string& text) override;

 private:
  bool prompts_on_stderr_;
  bool status_open_ = false;
};

}  // namespace drover::cli
