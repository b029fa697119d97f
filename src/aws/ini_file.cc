#include "aws/ini_file.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <optional>

#include "util/bounded_read.h"

namespace drover::aws {
namespace {

// The AWS CLI's config and credentials files are a few KB even with hundreds of profiles.
constexpr std::size_t kMaxIniBytes = std::size_t{4} << 20;

std::string_view trim(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_space(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

IniFile parse_ini(std::string_view text) {
  IniFile file;
  IniSection* section = nullptr;
  std::string* last_value = nullptr;  // the value an indented line continues
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    const std::string_view raw = text.substr(start, end - start);
    start = end + 1;
    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') {
      continue;
    }
    const bool indented = raw.front() == ' ' || raw.front() == '\t';
    if (indented && last_value != nullptr) {
      *last_value += "\n";
      *last_value += line;
      continue;
    }
    if (line.front() == '[') {
      const auto close = line.find(']');
      last_value = nullptr;
      if (close == std::string_view::npos) {
        section = nullptr;  // a broken header: ignore what follows until the next one
        continue;
      }
      section = &file.sections[std::string(trim(line.substr(1, close - 1)))];
      continue;
    }
    const auto separator = line.find_first_of("=:");
    if (section == nullptr || separator == std::string_view::npos || separator == 0) {
      last_value = nullptr;
      continue;
    }
    const std::string key = lower(trim(line.substr(0, separator)));
    std::string& value = (*section)[key];
    value = std::string(trim(line.substr(separator + 1)));
    last_value = &value;
  }
  return file;
}

std::optional<IniFile> read_ini_file(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return std::nullopt;  // a directory opens fine as a stream but reads as nothing
  }
  std::optional<std::string> text;
  try {
    text = read_file_at_most(path, kMaxIniBytes, FileKind::regular);
  } catch (const FileReadError& e) {
    // Too large is not a file the AWS CLI wrote: say so rather than ignore the profiles.
    if (e.error() == 0) throw;
    return std::nullopt;
  }
  if (!text) return std::nullopt;
  return parse_ini(*text);
}

}  // namespace drover::aws
