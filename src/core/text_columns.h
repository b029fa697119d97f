#pragma once
// Left-aligned text columns for the operator's tables: each column is as wide as its widest
// cell plus a gap, so a configured override ("concurrency 100") never breaks the alignment.
#include <cstddef>
#include <string>
#include <vector>

namespace drover::core {

/// Rows of cells → lines, each prefixed by `indent` and ending in '\n'. The last column is
/// not padded (no trailing spaces). Width counts UTF-8 code points, not bytes.
std::string render_columns(const std::vector<std::vector<std::string>>& rows,
                           const std::string& indent, std::size_t gap);

/// Number of UTF-8 code points in `text`.
std::size_t display_width(const std::string& text);

}  // namespace drover::core
