#include "util/shell_quote.h"

#include <stdexcept>

namespace drover {
namespace {

bool is_bare(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == '/' || c == ':' || c == '=' || c == '@' || c == '%' ||
         c == '+' || c == ',';
}

}  // namespace

std::string shell_quote(std::string_view word) {
  if (word.find('\0') != std::string_view::npos) {
    throw std::invalid_argument("a command argument contains a NUL byte");
  }
  bool bare = !word.empty();
  for (char c : word) bare = bare && is_bare(c);
  // A leading '=' or '-' is harmless to the shell; '~' and '#' are not bare at all.
  if (bare) return std::string(word);
  std::string quoted = "'";
  for (char c : word) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  quoted += '\'';
  return quoted;
}

std::string shell_command(const std::vector<std::string>& argv) {
  if (argv.empty()) throw std::invalid_argument("an empty command line");
  std::string line;
  for (const auto& word : argv) {
    if (!line.empty()) line += ' ';
    line += shell_quote(word);
  }
  return line;
}

}  // namespace drover
