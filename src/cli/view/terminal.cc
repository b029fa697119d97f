#include "cli/view/terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <iostream>

namespace drover::cli {

StreamTerminal::StreamTerminal(std::istream& in, std::ostream& out, std::ostream& err,
                               Device device, bool prompts_on_stderr)
    : in_(in),
      out_(out),
      err_(err),
      device_(std::move(device)),
      prompts_on_stderr_(prompts_on_stderr) {}

std::optional<std::string> StreamTerminal::ask(const std::string& prompt) {
  end_status_line();
  out_.flush();  // what a hold kept comes before the prompt
  auto& out = prompts_on_stderr_ ? err_ : out_;
  out << prompt << std::flush;
  std::string line;
  if (!std::getline(in_, line)) {
    out << '\n';
    return std::nullopt;
  }
  return line;
}

void StreamTerminal::flush_unless_held() {
  if (holds_ == 0) {
    out_.flush();
  }
}

void StreamTerminal::release() {
  if (holds_ > 0 && --holds_ == 0) {
    out_.flush();
  }
}

void StreamTerminal::erase_status_line() {
  if (status_open_) {
    out_ << "\r\033[K";
    flush_unless_held();
  }
  status_open_ = false;
}

void StreamTerminal::print(const std::string& text) {
  erase_status_line();
  out_ << text;
  flush_unless_held();
}

void StreamTerminal::status_line(const std::string& text) {
  // Carriage return, the text, then clear what a longer previous line left behind.
  out_ << '\r' << text << "\033[K";
  flush_unless_held();
  status_open_ = true;
}

void StreamTerminal::end_status_line() {
  if (status_open_) {
    out_ << '\n';
    flush_unless_held();
  }
  status_open_ = false;
}

void StreamTerminal::error(const std::string& text) {
  erase_status_line();
  out_.flush();  // what a hold kept comes before the error
  err_ << text << std::flush;
}

StdTerminal::StdTerminal(bool prompts_on_stderr)
    : StreamTerminal(
          std::cin, std::cout, std::cerr,
          {[] { return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO); }, stdout_terminal_width},
          prompts_on_stderr) {}

std::size_t stdout_terminal_width() {
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  if (const char* columns = std::getenv("COLUMNS")) {
    std::size_t value = 0;
    const auto* end = columns + std::strlen(columns);
    const auto [ptr, ec] = std::from_chars(columns, end, value);
    if (ec == std::errc() && ptr == end && value > 0) {
      return value;
    }
  }
  return kDefaultTerminalWidth;
}

}  // namespace drover::cli
