#pragma once
// The operator's terminal, as an interface: prompts, the plan and reports on stdout, a status
// line redrawn in place (the progress bar, the countdown) and errors on stderr. The real side
// is stdin/stdout/stderr; tests drive the real binary through a pseudo-terminal.
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

namespace drover::cli {

/// What a terminal is assumed to be wide when it cannot say (no tty, no COLUMNS).
inline constexpr std::size_t kDefaultTerminalWidth = 80;

class Terminal {
 public:
  virtual ~Terminal() = default;
  /// Both stdin and stdout are terminals: prompts and a live status line make sense.
  virtual bool interactive() = 0;
  /// Columns of the terminal now (it may be resized while drover runs). A status line must
  /// stay narrower than this to be redrawn in place: a wider one wraps, and the next redraw
  /// leaves the wrapped part behind.
  virtual std::size_t width() = 0;
  /// Prints `prompt` and reads one line (without its newline); nullopt at end of input.
  virtual std::optional<std::string> ask(const std::string& prompt) = 0;
  /// Prints `text`; an open status line is erased first and the text takes its place.
  virtual void print(const std::string& text) = 0;
  /// Replaces the current status line (a terminal redraws it in place).
  virtual void status_line(const std::string& text) = 0;
  /// Ends the status line where it is, kept on screen: the next print starts on a fresh line.
  virtual void end_status_line() = 0;
  /// Prints `text` on stderr; an open status line is erased first, as for print.
  virtual void error(const std::string& text) = 0;
  /// Until the matching release(), what print() and status_line() write may wait in the
  /// stream's buffer: the rollout's loop holds its output for one turn, so a round of finished
  /// hosts goes out in one write rather than one per line (a 10,000-host deploy flushed 20,000
  /// times). Holds nest. ask() and error() first write out what is held, so the order on screen
  /// stays the order of the calls.
  virtual void hold() {}
  virtual void release() {}
};

/// A terminal on streams, with ANSI control sequences for the status line: drawn as "\r", the
/// text, "\033[K" (erase the rest of the line), never followed by a newline while it is open;
/// print() and error() erase it first ("\r\033[K"), so no stale copy of the bar stays above
/// the line printed; end_status_line() keeps it with a newline. What the device is (a tty or
/// not, its width) is asked of `device`. The real side is StdTerminal; tests use string
/// streams.
class StreamTerminal : public Terminal {
 public:
  struct Device {
    std::function<bool()> interactive;
    std::function<std::size_t()> width;
  };
  StreamTerminal(std::istream& in, std::ostream& out, std::ostream& err, Device device,
                 bool prompts_on_stderr = false);

  bool interactive() override { return device_.interactive(); }
  std::size_t width() override { return device_.width(); }
  std::optional<std::string> ask(const std::string& prompt) override;
  void print(const std::string& text) override;
  void status_line(const std::string& text) override;
  void end_status_line() override;
  void error(const std::string& text) override;
  void hold() override { ++holds_; }
  void release() override;

 private:
  void erase_status_line();
  // Writes out what `out_` holds, unless a hold is open.
  void flush_unless_held();

  std::istream& in_;
  std::ostream& out_;
  std::ostream& err_;
  Device device_;
  bool prompts_on_stderr_;
  bool status_open_ = false;
  std::size_t holds_ = 0;
};

/// stdin/stdout/stderr. Prompts go to stderr when stdout carries JSON events.
class StdTerminal final : public StreamTerminal {
 public:
  explicit StdTerminal(bool prompts_on_stderr = false);
};

/// The width of the terminal on stdout: ioctl(TIOCGWINSZ), else the COLUMNS environment
/// variable (a positive number), else kDefaultTerminalWidth.
std::size_t stdout_terminal_width();

}  // namespace drover::cli
