#pragma once
// Operator input quoted back in an error message must stay on one line and show what was
// really typed: a stray newline or escape sequence is made visible, never interpreted.
#include <string>
#include <string_view>

namespace drover::core {

/// `text` with \n, \r, \t, backslash and other control or non-ASCII bytes escaped
/// (\n, \r, \t, \\, \xNN); printable ASCII is unchanged.
std::string printable(std::string_view text);

}  // namespace drover::core
