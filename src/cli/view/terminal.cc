#include "cli/view/terminal.h"

#include <unistd.h>

#include <iostream>

namespace drover::cli {

bool StdTerminal::interactive() {
  return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

std::optional<std::string> StdTerminal::ask(const std::string& prompt) {
  end_status_line();
  auto& out = prompts_on_stderr_ ? std::cerr : std::cout;
  out << prompt << std::flush;
  std::string line;
  if (!std::getline(std::cin, line)) {
    out << '\n';
    return std::nullopt;
  }
  return line;
}

void StdTerminal::print(const std::string& text) {
  end_status_line();
  std::cout << text << std::flush;
}

void StdTerminal::status_line(const std::string& text) {
  // Carriage return, the text, then clear what a longer previous line left behind.
  std::cout << '\r' << text << "\033[K" << std::flush;
  status_open_ = true;
}

void StdTerminal::end_status_line() {
  if (status_open_) std::cout << '\n' << std::flush;
  status_open_ = false;
}

void StdTerminal::error(const std::string& text) {
  end_status_line();
  std::cerr << text << std::flush;
}

}  // namespace drover::cli
