#include "cli/config/suggestion.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace drover::cli {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Levenshtein with one rolling row: keys are short, so this is cheap and simple.
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      std::size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string folded_word(std::string_view word) {
  std::string folded;
  for (char c : word) {
    if (c == '_' || c == '-') {
      continue;
    }
    folded += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return folded;
}

std::string closest_word(std::string_view word, std::span<const std::string_view> candidates) {
  const std::string folded = folded_word(word);
  const std::size_t allowed = std::max<std::size_t>(2, folded.size() / 3);
  std::string best;
  std::size_t best_distance = allowed + 1;
  for (auto candidate : candidates) {
    auto distance = edit_distance(folded, folded_word(candidate));
    if (distance < best_distance) {
      best_distance = distance;
      best = std::string(candidate);
    }
  }
  if (!best.empty() || folded.size() < 3) {
    return best;
  }
  // A shortened key ("stop" for stop_timeout, "restart" for restart_policy) is too far by edit
  // distance but plainly meant: take the one candidate it begins.
  for (auto candidate : candidates) {
    if (folded_word(candidate).starts_with(folded)) {
      if (!best.empty()) {
        return "";  // two candidates fit: guessing would mislead
      }
      best = std::string(candidate);
    }
  }
  return best;
}

}  // namespace drover::cli
