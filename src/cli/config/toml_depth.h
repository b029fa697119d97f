#pragma once
// How deeply a drover.toml nests, measured before the TOML library parses it: toml++ parses
// dotted keys and table headers recursively, so `a.a.a… = 1` with tens of thousands of parts
// overflows its stack and kills drover. A real drover.toml nests a few levels
// ([speeds.routine], [container.labels]); anything past the limit is refused with its line.
#include <cstdint>
#include <optional>
#include <string_view>

namespace drover::cli {

/// The deepest nesting drover.toml may have: table header parts, dotted key parts, arrays and
/// inline tables, all counted together.
inline constexpr int kMaxTomlDepth = 64;

/// Where a text first nests deeper than `max_depth`.
struct TooDeep {
  std::uint32_t line = 0;  // 1-based
  int depth = 0;           // the depth reached there (max_depth + 1)
};

/// Scans TOML text (strings, comments, keys, values) without parsing it: nullopt when it
/// never nests deeper than `max_depth`. Malformed text is scanned as far as it goes; the
/// parser reports its errors afterwards.
std::optional<TooDeep> find_too_deep_nesting(std::string_view text, int max_depth = kMaxTomlDepth);

}  // namespace drover::cli
