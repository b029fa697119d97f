#pragma once
// Operator input quoted back in an error message must stay on one line and show what was
// really typed: a stray newline or escape sequence is made visible, never interpreted; and a
// word quoted back is cut to a readable length (a 100,000-digit id is not echoed whole).
#include <cstddef>
#include <string>
#include <string_view>

namespace drover::core {

/// `text` with \n, \r, \t, backslash and other control or non-ASCII bytes escaped
/// (\n, \r, \t, \\, \xNN); printable ASCII is unchanged.
std::string printable(std::string_view text);

/// How much of an operator's word an error message quotes.
inline constexpr std::size_t kQuotedBytes = 64;

/// printable() of the first `max_bytes` bytes of `text`, then "… (N bytes)" when it was longer.
std::string printable(std::string_view text, std::size_t max_bytes);

}  // namespace drover::core
