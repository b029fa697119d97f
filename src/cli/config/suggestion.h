#pragma once
// "did you mean 'name'?": the closest known word to a mistyped one, for configuration errors.
// Comparison ignores case, '_' and '-', so `restart_policy` and `RestartPolicy` are one word.
#include <span>
#include <string>
#include <string_view>

namespace drover::cli {

/// The candidate closest to `word` when it is close enough to be a plausible typo (an edit
/// distance of at most a third of the word, and at least 2 allowed), else the one candidate
/// that `word` (3 characters or more) begins, else "".
std::string closest_word(std::string_view word, std::span<const std::string_view> candidates);

/// `word` lower-cased with '_' and '-' removed: the form closest_word compares.
std::string folded_word(std::string_view word);

}  // namespace drover::cli
