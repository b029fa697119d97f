#include "core/text_columns.h"

#include <algorithm>

namespace drover::core {

std::size_t display_width(const std::string& text) {
  // Counting non-continuation bytes is enough for our labels ("·", "…", "─"): all are one
  // column wide; we print no wide (CJK) or combining characters.
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string render_columns(const std::vector<std::vector<std::string>>& rows,
                           const std::string& indent, std::size_t gap) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) {
      widths.resize(row.size(), 0);
    }
    for (std::size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i]));
    }
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line = indent;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) {
        line.append(widths[i] - display_width(row[i]) + gap, ' ');
      }
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace drover::core
